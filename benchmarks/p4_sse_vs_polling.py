"""P4: one 20-second job followed in the browser, pack 2's polling UI vs pack 3's SSE UI.

    PYTHON312=... .venv/bin/python benchmarks/p4_sse_vs_polling.py [--seconds 20]

For each pack (queue db, so no Redis is needed) the generated app runs as in production: its
Procfile's web and worker processes, `next build` + `next start`, a fresh PostgreSQL database.
Headless Chromium (playwright-core, as the e2e tests) signs up and requests a report whose
job takes `--seconds` (REPORT_WORK_SECONDS: ten progress steps). Printed per pack:

- the HTTP requests the page made to follow the job (polls of /api/jobs/{id}/, or event
  streams opened), and every request the page made from the click to 3 s after the end;
- the delay from each progress update (the receipt's updated_at, read by an observer polling
  PostgreSQL every 10 ms on the side) to the page showing it (the progress bar's value, sampled
  every 10 ms in the page): median and p95 over the job's steps.

With the default 20 s job the report's steps (every 2.0 s) keep time with pack 2's 2 s polls,
so every update waits the same, arbitrary, fraction of the poll period; `--seconds 23` (steps
every 2.3 s) spreads the updates over the period, which is what users see on average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.receipts import receipt_states  # noqa: E402
from tests.templates import harness  # noqa: E402
from tests.templates.conftest import backend_env  # noqa: E402
from tests.templates.harness import Variant  # noqa: E402

from stackpacks.catalogue import Selection  # noqa: E402  (the repository root comes first)

PROBE = r"""
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.BASE_URL;
const profile = mkdtempSync(join(tmpdir(), "p4-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH, headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(60_000);
const requests = [];
let recording = false;
page.on("request", (r) => { if (recording) requests.push(new URL(r.url()).pathname); });
const name = `p4_${Date.now()}_${randomBytes(3).toString("hex")}`;
await page.goto(`${base}/signup`);
await page.getByLabel("Username").fill(name);
await page.getByLabel("Password").fill(`Pw-${randomBytes(9).toString("base64url")}`);
await page.getByRole("button", { name: "Create account" }).click();
await page.waitForURL(`${base}/reports`);
await page.evaluate(() => {
  window.seen = [];
  setInterval(() => {
    const bar = document.querySelector("progress");
    if (bar && window.seen.at(-1)?.value !== bar.value) {
      window.seen.push({ value: bar.value, at: Date.now() });
    }
  }, 10);
});
await page.getByLabel("Title").fill(`P4 ${name}`);
recording = true;
await page.getByRole("button", { name: "Request report" }).click();
const succeeded = () =>
  document.querySelector("[data-job-status]")?.dataset.jobStatus === "succeeded";
await page.waitForFunction(succeeded, null, { timeout: 300_000 });
await page.waitForTimeout(3000);
recording = false;
const jobId = await page.locator("[data-job-id]").getAttribute("data-job-id");
console.log(JSON.stringify({ jobId, requests, seen: await page.evaluate(() => window.seen) }));
await context.close();
rmSync(profile, { recursive: true, force: true });
"""


def run_pack(pack: int, seconds: float, venv: Path) -> dict:
    selection = Selection("demo", pack, (), "db")
    variant = Variant(f"pack{pack}-db", selection)
    app = harness.materialize(variant)
    harness.npm_install(app)
    api_port, web_port = harness.free_port(), harness.free_port()
    api, web = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{web_port}"
    harness.run(["npm", "run", "build"], app / "frontend", {"DJANGO_API_URL": api})
    database = f"sp_pack3_p4_pack{pack}"
    harness.recreate_database(database)
    database_url = f"postgres://postgres@127.0.0.1:5432/{database}"
    with tempfile.TemporaryDirectory() as metrics:
        env = backend_env(
            venv,
            variant,
            DATABASE_URL=database_url,
            DJANGO_DEBUG="0",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DJANGO_CSRF_TRUSTED_ORIGINS=web,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            PROMETHEUS_MULTIPROC_DIR=metrics,
            REPORT_WORK_SECONDS=str(seconds),
        )
        harness.run(["python", "manage.py", "migrate", "--noinput", "-v0"], app / "backend", env)
        probe = app / "frontend" / "p4-probe.mjs"
        probe.write_text(PROBE)
        try:
            with (
                harness.server(harness.web_command(app, api_port), app, env, f"{api}/api/health/"),
                harness.companion_processes(app, env),
                harness.server(
                    ["npm", "run", "start", "--", "-p", str(web_port), "-H", "127.0.0.1"],
                    app / "frontend",
                    {"DJANGO_API_URL": api},
                    f"{web}/",
                ),
                receipt_states(database_url, every=0.01) as updates,
            ):
                result = harness.run(
                    ["node", probe.name],
                    app / "frontend",
                    {"BASE_URL": web, "CHROMIUM_PATH": harness.CHROMIUM},
                    timeout=600,
                )
        finally:
            probe.unlink()
    browser = json.loads(result.stdout.strip().splitlines()[-1])
    # The first time the job's receipt showed each progress value.
    first: dict[int, float] = {}
    for state in updates:
        if state.job == browser["jobId"]:
            first.setdefault(state.progress, state.updated)
    return {"browser": browser, "updates": first}


def report(pack: int, outcome: dict) -> None:
    job = outcome["browser"]["jobId"]
    requests = outcome["browser"]["requests"]
    polls = [r for r in requests if r == f"/api/jobs/{job}/"]
    streams = [r for r in requests if r == f"/streams/jobs/{job}"]
    shown = {item["value"]: item["at"] / 1000 for item in outcome["browser"]["seen"]}
    delays = [
        shown[progress] - updated
        for progress, updated in outcome["updates"].items()
        if progress in shown and progress > 0
    ]
    delays_ms = sorted(1000 * d for d in delays)
    p95 = delays_ms[min(len(delays_ms) - 1, round(0.95 * (len(delays_ms) - 1)))]
    print(
        f"  pack {pack}: {len(polls)} polls + {len(streams)} event streams to follow the job "
        f"({len(requests)} requests in all from the click to 3 s after the end)"
    )
    print(
        f"          progress -> browser: median {statistics.median(delays_ms):.0f} ms, "
        f"p95 {p95:.0f} ms, max {delays_ms[-1]:.0f} ms over {len(delays_ms)} updates "
        f"({sum(1 for progress in outcome['updates'] if progress > 0)} made, "
        f"{len(delays_ms)} shown)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    venv = harness.app_venv()
    print(f"P4: one {args.seconds:.0f} s report job (ten progress steps) followed in Chromium")
    print(f"  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    outcomes = {pack: run_pack(pack, args.seconds, venv) for pack in (2, 3)}
    print(f"  load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for pack, outcome in outcomes.items():
        report(pack, outcome)


if __name__ == "__main__":
    main()
