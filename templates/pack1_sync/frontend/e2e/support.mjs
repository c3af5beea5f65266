// What every browser test shares (not a test itself: node --test runs only *.test.mjs here).
// Each test file imports this module instead of copying its setup.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { chromium } from "playwright-core";

export const BASE_URL = (process.env.BASE_URL || "http://127.0.0.1:3000").replace(/\/+$/, "");

// Quiet, reproducible runs: no GPU, no QUIC, and none of Chromium's own background traffic
// (updates, sync, first-run pages) mixed into what a test observes.
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

/** One tab in a throwaway profile; `close()` shuts the browser and removes the profile. */
export async function openTab() {
  const profile = mkdtempSync(join(tmpdir(), "e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, LAUNCH);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** A browser for tests that need several people, each in a context (own cookies) of their own. */
export function launchBrowser() {
  return chromium.launch(LAUNCH);
}

export const newPassword = () => `Pw-${randomBytes(9).toString("base64url")}`;

/** Sign up a new user through the form; returns the username once the reports page is shown. */
export async function signUp(page, prefix, password = newPassword()) {
  const username = `${prefix}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await page.goto(`${BASE_URL}/signup`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email (optional)").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${BASE_URL}/reports`);
  return username;
}
