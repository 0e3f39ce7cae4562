// Adds up every suite's results into the one closing line CI reads:
// "N passed, N failed, N skipped". Exit 1 on any failure, when a suite left no report (it
// crashed before reporting), and, under CI (`CI` set) or HANGAR_REQUIRE_LAB=1, on any
// skipped test: there a skip means a real-service suite ran without its service, and a
// run that exercised nothing must not pass.
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? "test-results";
const required = !!process.env.CI || process.env.HANGAR_REQUIRE_LAB === "1";
let passed = 0,
  failed = 0,
  skipped = 0;
const missing = [];
const skippedNames = [];

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
  for (const file of v.testResults) {
    for (const a of file.assertionResults)
      if (["pending", "skipped", "todo"].includes(a.status)) skippedNames.push(`${path.relative(process.cwd(), file.name)}: ${a.fullName}`);
  }
}
const e = read("e2e.json");
if (e) {
  passed += e.stats.expected + (e.stats.flaky ?? 0);
  failed += e.stats.unexpected;
  skipped += e.stats.skipped;
  if (e.errors?.length) failed += e.errors.length; // global setup failures
  collectSkippedSpecs(e.suites ?? [], []);
}
failed += missing.length;
for (const m of missing) console.log(`[test] no report from ${m}: that suite crashed`);

// A test file that fails to load counts as a failure even though no test in it ran.
// (numFailedTestSuites counts describe blocks too, so it cannot be used for this.)
function filesFailedWithoutTests(report) {
  return report.testResults.filter((s) => s.status === "failed" && !s.assertionResults.some((a) => a.status === "failed")).length;
}

function collectSkippedSpecs(suites, titles) {
  for (const s of suites) {
    const here = s.title ? [...titles, s.title] : titles;
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests ?? []) if (t.status === "skipped") skippedNames.push(`${[...here, spec.title].join(" › ")}`);
    }
    collectSkippedSpecs(s.suites ?? [], here);
  }
}

const skipsFail = required && skipped > 0;
if (skipsFail) {
  const why = process.env.CI ? "CI is set" : "HANGAR_REQUIRE_LAB=1";
  console.log(`[test] ${skipped} skipped while ${why}: a skipped test here means its service was missing`);
  for (const n of skippedNames.slice(0, 20)) console.log(`[test]   skipped: ${n}`);
  if (skippedNames.length > 20) console.log(`[test]   … and ${skippedNames.length - 20} more`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || skipsFail ? 1 : 0);
