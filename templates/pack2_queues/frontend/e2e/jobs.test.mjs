// Pack 2's background jobs in the browser, against running servers and workers:
//   BASE_URL=http://127.0.0.1:3000 node --test e2e/
// Requesting a report answers at once; the page polls GET /api/jobs/{id}/ every 2 s, shows the
// progress bar moving to 100 % and the report ready, then stops polling.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { openTab, signUp } from "./support.mjs";

const JOB_URL = /\/api\/jobs\/[0-9a-f-]{36}\/$/;

let page;
let close;

before(async () => ({ page, close } = await openTab()));
after(() => close?.());

test("a requested report is queued, polled to 100 %, and polling stops", async () => {
  const polls = [];
  page.on("response", (response) => {
    if (JOB_URL.test(new URL(response.url()).pathname)) {
      polls.push({ at: Date.now(), status: response.status() });
    }
  });

  const username = await signUp(page, "jobs");
  const title = `Queued report ${username}`;

  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Rows (optional)").fill("40");
  await page.getByRole("button", { name: "Request report" }).click();

  const bar = page.getByRole("progressbar", { name: `Progress of “${title}”` });
  await bar.waitFor();
  await page.waitForFunction(
    (name) => document.querySelector(`progress[aria-label="${name}"]`)?.value === 100,
    `Progress of “${title}”`,
    { timeout: 60_000 },
  );
  const status = page.getByRole("status");
  await status.getByText(`Report “${title}” is ready.`).waitFor();
  assert.equal(await page.locator("[data-job-status]").getAttribute("data-job-status"), "succeeded");

  assert.ok(polls.length >= 1, "the page polled the job");
  assert.ok(polls.every((poll) => poll.status === 200 || poll.status === 304), JSON.stringify(polls));
  for (let i = 1; i < polls.length; i++) {
    assert.ok(polls[i].at - polls[i - 1].at >= 1500, `polls ~2 s apart: ${JSON.stringify(polls)}`);
  }

  // The job is finished: no more polls.
  const seen = polls.length;
  await page.waitForTimeout(4500);
  assert.equal(polls.length, seen, "polling stops at a terminal state");

  // The list (rendered by the server) shows the report ready, and its page opens.
  const row = page.getByRole("row").filter({ hasText: title });
  await row.getByText("Ready").waitFor();
  await status.getByRole("link", { name: "View it" }).click();
  await page.waitForURL(/\/reports\/\d+$/);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), title);
});
