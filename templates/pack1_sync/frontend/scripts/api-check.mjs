// Fails when the committed API types are stale.
//
//   npm run api:check                     lib/api/schema.d.ts matches openapi.yml
//   npm run api:check -- /tmp/schema.yml  ... and openapi.yml matches a fresh export of Django's
//
// Export with `python manage.py spectacular --file /tmp/schema.yml` in backend/. To refresh,
// export to ../frontend/openapi.yml instead, then `npm run api:generate`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const snapshot = join(root, "openapi.yml");
const committed = join(root, "lib/api/schema.d.ts");
const fresh = process.argv[2] ? resolve(process.argv[2]) : snapshot;
const cli = join(root, "node_modules/openapi-typescript/bin/cli.js");

const scratch = mkdtempSync(join(tmpdir(), "api-check-"));
const problems = [];
try {
  const generated = join(scratch, "schema.d.ts");
  execFileSync(process.execPath, [cli, fresh, "-o", generated], { stdio: "pipe" });
  if (readFileSync(generated, "utf8") !== readFileSync(committed, "utf8")) {
    problems.push(`lib/api/schema.d.ts does not match the types generated from ${fresh}`);
  }
  if (fresh !== snapshot && readFileSync(fresh, "utf8") !== readFileSync(snapshot, "utf8")) {
    problems.push(`openapi.yml differs from ${fresh}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (problems.length) {
  for (const problem of problems) console.error(`api:check: ${problem}`);
  console.error(
    "api:check: refresh: copy the fresh export to openapi.yml, `npm run api:generate`, commit both.",
  );
  process.exit(1);
}
console.log(`api:check: lib/api/schema.d.ts is up to date with ${fresh}`);
