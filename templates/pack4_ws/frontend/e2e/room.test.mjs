// A report's room with two people in two browser contexts, against running servers:
//   BASE_URL=http://127.0.0.1:3000 node --test e2e/
// Alice shares a report with Bob; both open it, each sees the other viewing it and the
// other's comments as they are posted; when Bob leaves, Alice's presence list drops him. A
// dropped connection comes back and catches up on what it missed, even a comment whose
// broadcast arrived after the next one's; a broadcast lost while connected is asked for again. Someone it is not shared with can neither open the
// page nor its socket.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";

import { BASE_URL, launchBrowser, signUp } from "./support.mjs";

const RUN = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** A signed-up user in a browser context of their own (own cookies: own session). */
async function person(name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const username = await signUp(page, name);
  return { context, page, username };
}

const viewers = (page) => page.getByRole("list", { name: "Viewing now" }).getByRole("listitem");
const comments = (page) => page.getByRole("list", { name: "Comments" }).getByRole("listitem");

/** Wait until the page's presence list names exactly these users. */
async function seesViewers(page, usernames) {
  const expected = [...usernames].sort();
  await page.waitForFunction(
    (want) =>
      JSON.stringify(
        [...document.querySelectorAll("[data-viewer]")].map((li) => li.dataset.viewer).sort(),
      ) === JSON.stringify(want),
    expected,
  );
}

async function post(page, body) {
  await page.getByLabel("Add a comment").fill(body);
  await page.getByRole("button", { name: "Post comment" }).click();
  // Acknowledged by the server's broadcast: no longer pending, and it has an id.
  await comments(page).filter({ hasText: body }).and(page.locator("[data-comment-id]")).waitFor();
}

/** The comment with this text, stored (it has an id) and seen exactly once (no duplicates). */
async function seesComment(page, author, body) {
  const item = comments(page).filter({ hasText: body });
  await item.and(page.locator("[data-comment-id]")).waitFor();
  assert.equal(await item.count(), 1, `one "${body}" on ${author}'s page`);
  assert.match(await item.textContent(), new RegExp(author));
}

/** The owner requests a report, opens it and shares it with the member; returns its URL. */
async function sharedReport(owner, member, title) {
  await owner.page.getByLabel("Title").fill(title);
  await owner.page.getByRole("button", { name: "Request report" }).click();
  await owner.page.getByRole("status").getByRole("link", { name: "View it" }).click({ timeout: 60_000 });
  await owner.page.waitForURL(/\/reports\/\d+$/);
  await owner.page.getByLabel("Share with (username)").fill(member.username);
  await owner.page.getByRole("button", { name: "Share", exact: true }).click();
  await owner.page.getByTestId("members").filter({ hasText: member.username }).waitFor();
  return owner.page.url();
}

test("two people share a report's room: presence, comments both ways, catch-up, leaving", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const carol = await person("carol");

  // Alice requests a report; it opens with an empty room.
  const title = `Shared report ${RUN}`;
  await alice.page.getByLabel("Title").fill(title);
  await alice.page.getByRole("button", { name: "Request report" }).click();
  await alice.page.getByRole("status").getByRole("link", { name: "View it" }).click({ timeout: 60_000 });
  await alice.page.waitForURL(/\/reports\/\d+$/);
  const reportUrl = alice.page.url();
  await alice.page.getByText("No comments yet.").waitFor();
  await seesViewers(alice.page, [alice.username]);

  // Only the owner may share: an unknown username is refused, Bob is accepted.
  const share = alice.page.getByLabel("Share with (username)");
  await share.fill(`nobody_${RUN}`);
  await alice.page.getByRole("button", { name: "Share", exact: true }).click();
  await alice.page.locator(".field-error").first().waitFor();
  await share.fill(bob.username);
  await alice.page.getByRole("button", { name: "Share", exact: true }).click();
  await alice.page.getByRole("status").filter({ hasText: `Shared with ${bob.username}.` }).waitFor();
  await alice.page.getByTestId("members").filter({ hasText: bob.username }).waitFor();

  // Bob finds it among his reports and opens it; he may not share it further.
  await bob.page.goto(`${BASE_URL}/reports`);
  await bob.page.getByRole("row").filter({ hasText: title }).getByRole("link", { name: title }).click();
  await bob.page.waitForURL(reportUrl);
  assert.equal(await bob.page.getByRole("heading", { level: 1 }).textContent(), title);
  assert.equal(await bob.page.getByLabel("Share with (username)").count(), 0);

  // Each sees the other viewing it.
  await seesViewers(alice.page, [alice.username, bob.username]);
  await seesViewers(bob.page, [alice.username, bob.username]);
  assert.match(await viewers(bob.page).filter({ hasText: bob.username }).textContent(), /\(you\)/);

  // Comments both ways, each delivered once.
  await post(alice.page, `Hello Bob ${RUN}`);
  await seesComment(bob.page, alice.username, `Hello Bob ${RUN}`);
  await post(bob.page, `Hi Alice ${RUN}`);
  await seesComment(alice.page, bob.username, `Hi Alice ${RUN}`);
  await seesComment(alice.page, alice.username, `Hello Bob ${RUN}`);

  // Carol, not a member: the page is a 404 and the room's socket is refused.
  await carol.page.goto(reportUrl);
  await carol.page.getByRole("heading", { name: /not found/i }).waitFor();
  const refused = await carol.page.evaluate(
    (path) =>
      new Promise((resolve) => {
        const url = new URL(path, location.href);
        url.protocol = url.protocol.replace("http", "ws");
        const socket = new WebSocket(url);
        socket.onopen = () => resolve("opened");
        socket.onclose = () => resolve("closed");
      }),
    `${new URL(reportUrl).pathname.replace("/reports/", "/ws/reports/")}/`,
  );
  assert.equal(refused, "closed", "a non-member's socket is never opened");

  // Bob leaves by a link within the app, not by closing the page: the room unmounts and closes
  // its socket, and Alice's presence drops him.
  await bob.page.getByRole("link", { name: "← My reports" }).click();
  await bob.page.waitForURL(`${BASE_URL}/reports`);
  await seesViewers(alice.page, [alice.username]);

  await Promise.all([alice.context.close(), bob.context.close(), carol.context.close()]);
});

test("a dropped room connection reconnects and catches up on the comments it missed", async () => {
  const alice = await person("alice2");
  const bob = await person("bob2");
  const reportUrl = await sharedReport(alice, bob, `Reconnecting report ${RUN}`);

  // Alice's room socket goes through a pass-through proxy of the test (Playwright's WebSocket
  // routing) that can cut it from the server's side, as a restart would, and hold her next
  // connection back while Bob posts. Servers, consumer and frames are the real ones.
  const connections = [];
  let hold = false;
  await alice.page.routeWebSocket(/\/ws\/reports\/\d+\/$/, (page) => {
    connections.push({ page, server: hold ? null : page.connectToServer() });
  });
  await alice.page.reload();
  await bob.page.goto(reportUrl);
  await seesViewers(alice.page, [alice.username, bob.username]);
  await post(alice.page, `Before the drop ${RUN}`);
  await seesComment(bob.page, alice.username, `Before the drop ${RUN}`);

  // The server side goes away: Bob sees Alice leave; her page reconnects (held back).
  hold = true;
  const before = connections.length;
  // (No close code: the page-side proxy closes a browser WebSocket, which may send only 1000.)
  await connections.at(-1).server.close();
  await seesViewers(bob.page, [bob.username]);
  await until(() => connections.length > before, "Alice's page reconnects");

  // Bob posts while Alice is away: she cannot have it yet.
  await post(bob.page, `While you were away ${RUN}`);
  const missed = comments(alice.page).filter({ hasText: `While you were away ${RUN}` });
  assert.equal(await missed.count(), 0);

  // What Alice posts now reaches no server: it stays pending, never shown as posted.
  const lost = `Into the void ${RUN}`;
  await alice.page.getByLabel("Add a comment").fill(lost);
  await alice.page.getByRole("button", { name: "Post comment" }).click();
  const unsent = comments(alice.page).filter({ hasText: lost });
  await unsent.and(alice.page.locator('[data-pending="sent"]')).waitFor();
  assert.match(await unsent.textContent(), /Sending…/);

  // Let her through: her next connection is real again, and its hello catches up, once.
  hold = false;
  const held = connections.length;
  await connections.at(-1).page.close();
  await until(() => connections.length > held, "Alice's page reconnects again");
  await seesComment(alice.page, bob.username, `While you were away ${RUN}`);
  await seesComment(alice.page, alice.username, `Before the drop ${RUN}`);
  await seesViewers(alice.page, [alice.username, bob.username]);
  await seesViewers(bob.page, [alice.username, bob.username]);

  // The unacknowledged comment is marked as not sent, with a way to send it again.
  await unsent.and(alice.page.locator('[data-pending="failed"]')).waitFor();
  await unsent.getByRole("alert").waitFor();
  assert.equal(await comments(bob.page).filter({ hasText: lost }).count(), 0);
  await unsent.getByRole("button", { name: "Retry" }).click();
  await seesComment(alice.page, alice.username, lost);
  await seesComment(bob.page, alice.username, lost);

  await Promise.all([alice.context.close(), bob.context.close()]);
});

/**
 * Route the page's room sockets through a proxy of the test: every connection is counted, every
 * `hello` recorded, and each server frame goes to `onServerFrame(frame, deliver, cut)`, which
 * may deliver it, keep it back, or cut the connection from the server's side.
 */
async function proxyRoom(page, onServerFrame) {
  const proxied = { connections: [], hellos: [] };
  await page.routeWebSocket(/\/ws\/reports\/\d+\/$/, (socket) => {
    const server = socket.connectToServer();
    proxied.connections.push(socket);
    socket.onMessage((message) => {
      const frame = JSON.parse(message);
      if (frame.type === "hello") proxied.hellos.push(frame.after);
      server.send(message);
    });
    server.onMessage((message) =>
      onServerFrame(
        JSON.parse(message),
        () => socket.send(message),
        () => void server.close(),
      ),
    );
  });
  return proxied;
}

test("a comment whose broadcast comes after the next one's is caught up on after a reconnect", async () => {
  const alice = await person("alice3");
  const bob = await person("bob3");
  const reportUrl = await sharedReport(alice, bob, `Out of order report ${RUN}`);

  // Alice's room socket goes through a proxy of the test that holds back the first comment
  // broadcast (as if the web process that stored it published late), passes the next one, and
  // then cuts the connection before the held one arrives. Her page has the second comment but
  // not the first; the hello of its next connection must ask for both.
  let reorder = false;
  let late = null;
  const { connections, hellos } = await proxyRoom(alice.page, (frame, deliver, cut) => {
    if (reorder && frame.type === "comment") {
      if (!late) {
        late = frame; // never delivered on this connection
        return;
      }
      reorder = false;
      deliver();
      cut();
      return;
    }
    deliver();
  });
  await alice.page.reload();
  await bob.page.goto(reportUrl);
  await seesViewers(alice.page, [alice.username, bob.username]);

  reorder = true;
  const [first, second] = [`First of two ${RUN}`, `Second of two ${RUN}`];
  await post(bob.page, first);
  await post(bob.page, second);
  await until(() => connections.length >= 2, "Alice's page reconnects");
  assert.equal(late?.comment.body, first, "the first comment's broadcast was held back");
  await seesComment(alice.page, bob.username, second);
  await seesComment(alice.page, bob.username, first);
  assert.ok(hellos.at(-1) < late.comment.id, `caught up from before the first (${hellos})`);

  await Promise.all([alice.context.close(), bob.context.close()]);
});

test("a comment whose broadcast is lost while connected is asked for again, without a reconnect", async () => {
  const alice = await person("alice4");
  const bob = await person("bob4");
  const reportUrl = await sharedReport(alice, bob, `Lost broadcast report ${RUN}`);

  // Alice's room socket goes through a proxy of the test that drops the first comment's
  // broadcast (lost between the channel layer and her socket) and passes the next one. The
  // connection stays up: her page sees a gap and must ask for what is missing on its own.
  let drop = false;
  let lost = null;
  const { connections, hellos } = await proxyRoom(alice.page, (frame, deliver) => {
    if (drop && frame.type === "comment") {
      drop = false;
      lost = frame;
      return;
    }
    deliver();
  });
  await alice.page.reload();
  await bob.page.goto(reportUrl);
  await seesViewers(alice.page, [alice.username, bob.username]);

  drop = true;
  const [first, second] = [`Lost one ${RUN}`, `Next one ${RUN}`];
  await post(bob.page, first);
  await post(bob.page, second);
  await seesComment(alice.page, bob.username, second);
  await seesComment(alice.page, bob.username, first);
  assert.equal(lost?.comment.body, first, "the first comment's broadcast was dropped");
  assert.equal(connections.length, 1, "no reconnection: the same socket asked again");
  assert.equal(hellos.length, 2, `one hello on connecting, one for the gap (${hellos})`);
  assert.ok(hellos[1] < lost.comment.id, `asked from before the lost one (${hellos})`);

  await Promise.all([alice.context.close(), bob.context.close()]);
});

test("a comment the server refuses is shown as not sent, with the server's reason", async () => {
  const dana = await person("dana");
  await dana.page.getByLabel("Title").fill(`Busy report ${RUN}`);
  await dana.page.getByRole("button", { name: "Request report" }).click();
  await dana.page.getByRole("status").getByRole("link", { name: "View it" }).click({ timeout: 60_000 });
  await dana.page.waitForURL(/\/reports\/\d+$/);
  await seesViewers(dana.page, [dana.username]);

  // The room takes at most 10 comments in 10 s from one connection: the 11th, written at
  // once after the others, is refused (rate_limited) and only that one.
  const box = dana.page.getByLabel("Add a comment");
  const post = dana.page.getByRole("button", { name: "Post comment" });
  for (let n = 1; n <= 11; n += 1) {
    await box.fill(`Burst ${n} ${RUN}`);
    await post.click();
  }
  const refused = comments(dana.page).filter({ hasText: `Burst 11 ${RUN}` });
  await refused.and(dana.page.locator('[data-pending="failed"]')).waitFor();
  assert.match(await refused.getByRole("alert").textContent(), /faster than the room allows/);
  await seesComment(dana.page, dana.username, `Burst 10 ${RUN}`);
  assert.equal(await dana.page.locator('[data-pending="failed"]').count(), 1);

  // Discarded, it is gone; nothing else was lost.
  await refused.getByRole("button", { name: "Discard" }).click();
  assert.equal(await refused.count(), 0);
  assert.equal(await dana.page.locator("[data-comment-id]").count(), 10);
  await dana.context.close();
});

async function until(condition, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
