// Pack 4's background jobs in the browser, against running servers and workers:
//   BASE_URL=http://127.0.0.1:3000 node --test e2e/
// Requesting a report answers at once; the page follows the job over the tab's one WebSocket
// (/ws/jobs/) and the progress bar moves as the worker pushes progress through the channel
// layer, to 100 % and the report ready. No polling, no event stream.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { BASE_URL, openTab, signUp } from "./support.mjs";

const POLL_URL = /^\/api\/jobs\/[0-9a-f-]{36}\/$/;
const EVENTS_URL = /^\/streams\/jobs\//;

let page;
let close;

before(async () => ({ page, close } = await openTab()));
after(() => close?.());

function parse(payload) {
  try {
    return JSON.parse(typeof payload === "string" ? payload : payload.toString());
  } catch {
    return null;
  }
}

async function requestReport(title, rows) {
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Rows (optional)").fill(String(rows));
  await page.getByRole("button", { name: "Request report" }).click();
  await page.getByRole("progressbar", { name: `Progress of “${title}”` }).waitFor();
  await page.waitForFunction(
    (name) => document.querySelector(`progress[aria-label="${name}"]`)?.value === 100,
    `Progress of “${title}”`,
    { timeout: 60_000 },
  );
  await page.getByRole("status").getByText(`Report “${title}” is ready.`).waitFor();
}

test("report progress rides one WebSocket per tab, with no polling and no event stream", async () => {
  const polls = [];
  const streams = [];
  const sockets = [];
  const subscribed = [];
  const jobFrames = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (POLL_URL.test(path)) polls.push(path);
    if (EVENTS_URL.test(path)) streams.push(path);
  });
  page.on("websocket", (socket) => {
    const path = new URL(socket.url()).pathname;
    sockets.push(path);
    if (path !== "/ws/jobs/") return;
    socket.on("framesent", ({ payload }) => {
      const frame = parse(payload);
      if (frame?.type === "subscribe") subscribed.push(frame.job);
    });
    socket.on("framereceived", ({ payload }) => {
      const frame = parse(payload);
      if (frame?.type === "job") jobFrames.push(frame.job);
    });
  });

  const username = await signUp(page, "ws_jobs");

  // Every value the progress bar takes, as the page shows it.
  await page.evaluate(() => {
    window.progressSeen = [];
    setInterval(() => {
      const bar = document.querySelector("progress");
      if (bar && window.progressSeen.at(-1) !== bar.value) window.progressSeen.push(bar.value);
    }, 10);
  });
  const first = `Socket report ${username}`;
  await requestReport(first, 40);
  assert.equal(await page.locator("[data-job-status]").getAttribute("data-job-status"), "succeeded");

  assert.deepEqual(sockets, ["/ws/jobs/"], "one WebSocket, to /ws/jobs/");
  assert.equal(subscribed.length, 1, "the job was subscribed once");
  const jobId = subscribed[0];
  const frames = jobFrames.filter((job) => job.id === jobId);
  assert.ok(frames.length >= 2, `job frames arrived: ${frames.length}`);
  assert.ok(
    frames.some((job) => job.status === "running" && job.progress > 0 && job.progress < 100),
    `progress was pushed step by step: ${JSON.stringify(frames.map((j) => j.progress))}`,
  );
  const last = frames.at(-1);
  assert.equal(last.status, "succeeded");
  assert.equal(last.progress, 100);
  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(
    seen.some((value) => value > 0 && value < 100),
    `the bar moved step by step, not only at the end: ${JSON.stringify(seen)}`,
  );

  // A second report on the same page rides the same socket.
  const second = `Second socket report ${username}`;
  await requestReport(second, 20);
  assert.deepEqual(sockets, ["/ws/jobs/"], "still one WebSocket for both jobs");
  assert.equal(subscribed.length, 2);
  assert.notEqual(subscribed[1], jobId);

  assert.deepEqual(polls, [], "the page never polled /api/jobs/{id}/");
  assert.deepEqual(streams, [], "the page opened no event stream");

  const row = page.getByRole("row").filter({ hasText: second });
  await row.getByText("Ready").waitFor();
  await page.getByRole("status").getByRole("link", { name: "View it" }).click();
  await page.waitForURL(/\/reports\/\d+$/);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), second);
});

test("after the socket drops mid-job, the page reconnects, subscribes again and catches up", async () => {
  // The tab's job socket goes through a pass-through proxy of the test (Playwright's
  // WebSocket routing): it forwards the real frames, can cut the connection from the server's
  // side as a restart would, and holds the next connection back until the job has finished.
  const connections = [];
  const subscribed = [];
  let hold = false;
  let dropped = null;
  await page.routeWebSocket(/\/ws\/jobs\/$/, (client) => {
    const connection = { client, server: hold ? null : client.connectToServer() };
    connections.push(connection);
    if (!connection.server) return;
    const { server } = connection;
    client.onMessage((message) => {
      const frame = parse(message);
      if (frame?.type === "subscribe") subscribed.push(frame.job);
      server.send(message);
    });
    server.onMessage((message) => {
      if (connection === dropped) return; // cut: nothing more reaches the page
      client.send(message);
      if (parse(message)?.type === "job" && !dropped) {
        dropped = connection;
        hold = true;
        void server.close();
      }
    });
  });
  const fallbacks = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (POLL_URL.test(path) || EVENTS_URL.test(path)) fallbacks.push(path);
  });
  await page.goto(`${BASE_URL}/reports`);
  const title = `Dropped socket report ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Request report" }).click();

  // The first frame got through, then the connection dropped: the page says so.
  await page.getByRole("status").getByText("Lost contact with the server; reconnecting.").waitFor();
  await until(() => connections.length >= 2, "the page reconnects");
  const jobId = subscribed[0];
  assert.ok(jobId, "the job was subscribed");

  // Meanwhile the job finishes on the server (asked from the test, not the page).
  let finished = null;
  await until(async () => {
    const response = await page.request.get(`${BASE_URL}/api/jobs/${jobId}/`);
    finished = await response.json();
    return finished.status === "succeeded";
  }, "the job finishes");

  // Let the page through: its new connection subscribes again and the answer is the catch-up.
  hold = false;
  const held = connections.length;
  await connections.at(-1).client.close();
  await until(() => connections.length > held, "the page reconnects again");
  await page.getByRole("status").getByText(`Report “${title}” is ready.`).waitFor();
  assert.equal(await page.locator("[data-job-status]").getAttribute("data-job-status"), "succeeded");
  assert.deepEqual(subscribed, [jobId, jobId], "subscribed on the first and the last connection");
  // A socket that worked once is reconnected, not abandoned for polling or event streams.
  assert.deepEqual(fallbacks, []);
  await page.unrouteAll();
});

test("where WebSocket handshakes keep failing, the job is followed over pack 3's event stream", async () => {
  // Playwright's WebSocket routing refuses every handshake to /ws/jobs/, as a proxy without
  // upgrades would: the page's sockets close without ever opening.
  let handshakes = 0;
  await page.routeWebSocket(/\/ws\/jobs\/$/, (client) => {
    handshakes += 1;
    void client.close();
  });
  const polls = [];
  const streams = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (POLL_URL.test(path)) polls.push(path);
    if (EVENTS_URL.test(path)) streams.push(path);
  });
  await page.goto(`${BASE_URL}/reports`);
  const title = `Fallback report ${Date.now()}`;
  await requestReport(title, 20);

  assert.equal(handshakes, 4, "four handshakes, then the tab gave up on WebSockets");
  assert.equal(streams.length, 1, "one event stream for the job");
  assert.deepEqual(polls, [], "the event stream worked: no polling");
  await page.unrouteAll();
});

async function until(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
