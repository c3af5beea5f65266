// The browser's path through the app, against running servers:
//   BASE_URL=http://127.0.0.1:3000 node --test e2e/
// Needs the frontend (next start) in front of a Django backend with a migrated database, and a
// Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

const BASE_URL = (process.env.BASE_URL || "http://127.0.0.1:3000").replace(/\/+$/, "");
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let profile;
let context;
let page;

before(async () => {
  profile = mkdtempSync(join(tmpdir(), "e2e-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const path = () => new URL(page.url()).pathname;

async function cookie(name) {
  return (await context.cookies(BASE_URL)).find((c) => c.name === name);
}

async function signedInAs(username) {
  await page.waitForURL(`${BASE_URL}/reports`);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "My reports");
  assert.equal(await page.getByTestId("current-user").textContent(), username);
  const session = await cookie("sessionid");
  assert.ok(session, "a session cookie after signing in");
  assert.equal(session.httpOnly, true, "the session cookie is hidden from JavaScript");
  assert.equal(session.sameSite, "Lax");
}

async function signOut() {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${BASE_URL}/signin`);
  assert.equal(await cookie("sessionid"), undefined, "sign-out drops the session cookie");
}

test("sign up, sign out, sign in, request a report, see it ready, sign out", async () => {
  const username = `e2e_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const password = `Pw-${randomBytes(9).toString("base64url")}`;
  const title = `Smoke report ${username}`;

  // Signed out, the reports page sends the visitor to sign in and back.
  await page.goto(`${BASE_URL}/reports`);
  await page.waitForURL(`${BASE_URL}/signin?next=%2Freports`);

  await page.goto(`${BASE_URL}/signup`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email (optional)").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await signedInAs(username);
  await page.getByText("No reports yet").waitFor();

  await signOut();
  await page.goto(`${BASE_URL}/reports`);
  await page.waitForURL(`${BASE_URL}/signin?next=%2Freports`);

  // A wrong password is refused with a message, on the same page.
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(`${password}-wrong`);
  await page.getByRole("button", { name: "Sign in" }).click();
  // (Next.js's route announcer is an alert too: look for ours by its text.)
  await page.getByRole("alert").filter({ hasText: /password/i }).waitFor();
  assert.equal(path(), "/signin");
  assert.equal(await cookie("sessionid"), undefined);

  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await signedInAs(username);

  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Rows (optional)").fill("25");
  await page.getByRole("button", { name: "Request report" }).click();
  // Pack 2 queues the report: a worker builds it while the page polls its job (e2e/jobs.test.mjs
  // watches the polling itself).
  await page.getByRole("status").getByText(`Report “${title}” is ready.`).waitFor({ timeout: 60_000 });

  const row = page.getByRole("row").filter({ hasText: title });
  await row.getByText("Ready").waitFor();
  assert.equal(await row.count(), 1);
  assert.match(await page.getByRole("heading", { name: /Requested/ }).textContent(), /\(1\)/);

  await row.getByRole("link", { name: title }).click();
  await page.waitForURL(/\/reports\/\d+$/);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), title);
  await page.locator(".details").getByText("Ready").waitFor();

  await signOut();
  await page.goto(`${BASE_URL}/reports`);
  await page.waitForURL(`${BASE_URL}/signin?next=%2Freports`);
});
