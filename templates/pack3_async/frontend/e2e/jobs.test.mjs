// Pack 3's background jobs in the browser, against running servers and workers:
//   BASE_URL=http://127.0.0.1:3000 node --test e2e/
// Requesting a report answers at once; the page opens one event stream for the job and the
// progress bar moves as the worker pushes progress, to 100 % and the report ready. No polling.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { openTab, signUp } from "./support.mjs";

const POLL_URL = /^\/api\/jobs\/[0-9a-f-]{36}\/$/;
const EVENTS_URL = /^\/streams\/jobs\/[0-9a-f-]{36}$/;

let page;
let close;

before(async () => ({ page, close } = await openTab()));
after(() => close?.());

test("a requested report streams its progress over one EventSource, without polling", async () => {
  const polls = [];
  const streams = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (POLL_URL.test(path)) polls.push(path);
    if (EVENTS_URL.test(path)) streams.push(request);
  });

  const username = await signUp(page, "jobs");
  const title = `Streamed report ${username}`;

  // Every value the progress bar takes, as the page shows it.
  await page.evaluate(() => {
    window.progressSeen = [];
    setInterval(() => {
      const bar = document.querySelector("progress");
      if (bar && window.progressSeen.at(-1) !== bar.value) window.progressSeen.push(bar.value);
    }, 10);
  });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Rows (optional)").fill("40");
  await page.getByRole("button", { name: "Request report" }).click();

  await page.getByRole("progressbar", { name: `Progress of “${title}”` }).waitFor();
  await page.waitForFunction(
    (name) => document.querySelector(`progress[aria-label="${name}"]`)?.value === 100,
    `Progress of “${title}”`,
    { timeout: 60_000 },
  );
  const status = page.getByRole("status");
  await status.getByText(`Report “${title}” is ready.`).waitFor();
  assert.equal(await page.locator("[data-job-status]").getAttribute("data-job-status"), "succeeded");

  assert.equal(streams.length, 1, "one event stream for the job");
  const response = await streams[0].response();
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-type"], /^text\/event-stream/);
  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(
    seen.some((value) => value > 0 && value < 100),
    `progress arrived step by step, not only at the end: ${JSON.stringify(seen)}`,
  );

  // The job is finished and the stream closed: no polling, and no reconnection either.
  await page.waitForTimeout(3000);
  assert.deepEqual(polls, [], "the page never polled /api/jobs/{id}/");
  assert.equal(streams.length, 1, "the stream was not reopened");

  // The list (rendered by the server) shows the report ready, and its page opens.
  const row = page.getByRole("row").filter({ hasText: title });
  await row.getByText("Ready").waitFor();
  await status.getByRole("link", { name: "View it" }).click();
  await page.waitForURL(/\/reports\/\d+$/);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), title);
});
