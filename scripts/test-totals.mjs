// Adds up every suite's results into the one closing line CI reads:
// "N passed, N failed" (", N skipped" when some were skipped). Exit 1 on any failure or
// when a suite left no report (it crashed before reporting).
import fs from "node:fs";

const dir = "test-results";
let passed = 0, failed = 0, skipped = 0;
const missing = [];

for (const f of fs.readdirSync(dir).filter((f) => f.startsWith("check-"))) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"));
  if (r.ok) passed++;
  else failed++;
}
const read = (f) => (fs.existsSync(`${dir}/${f}`) ? JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8")) : (missing.push(f), null));
const v = read("vitest.json");
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests + filesFailedWithoutTests(v);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
const e = read("e2e.json");
if (e) {
  passed += e.stats.expected + (e.stats.flaky ?? 0);
  failed += e.stats.unexpected;
  skipped += e.stats.skipped;
  if (e.errors?.length) failed += e.errors.length; // global setup failures
}
failed += missing.length;
for (const m of missing) console.log(`[test] no report from ${m}: that suite crashed`);

// A test file that fails to load counts as a failure even though no test in it ran.
// (numFailedTestSuites counts describe blocks too, so it cannot be used for this.)
function filesFailedWithoutTests(report) {
  return report.testResults.filter((s) => s.status === "failed" && !s.assertionResults.some((a) => a.status === "failed")).length;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
