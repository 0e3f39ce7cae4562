#!/usr/bin/env bash
# README command 2: install what is missing, start the real services the tests use
# (PostgreSQL, libvirtd + QEMU, Podman, Chromium), then run every suite: lint, typecheck,
# unit + integration (vitest), end-to-end (Playwright in Debian's Chromium). Ends with one
# totals line across all suites ("N passed, N failed, N skipped"); exits non-zero on any
# failure or skip.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
# This script starts the lab itself, so a real-service test that would skip means a
# service broke: make every such skip a failure (tests/helpers/lab-env.ts, test-totals).
export HANGAR_REQUIRE_LAB=1
t0=$(date +%s)
mkdir -p test-results
rm -f test-results/*.json

bash scripts/ensure-deps.sh || exit 1
bash scripts/lab/test-services-up.sh || { echo "[test] could not start the test services" >&2; exit 1; }
# shellcheck disable=SC1091
. "${HANGAR_LAB_DIR:-/var/lib/hangar-lab}/test-env.sh"
export HANGAR_TEST_PG_URL

echo "[test] build"
npm run --silent build >test-results/build.log 2>&1 || { cat test-results/build.log; echo "0 passed, 1 failed"; exit 1; }

check() { # name, command...: a check counts as one test
  local name=$1; shift
  echo "[test] $name"
  if "$@"; then echo "{\"name\":\"$name\",\"ok\":true}" > "test-results/check-$name.json"
  else echo "{\"name\":\"$name\",\"ok\":false}" > "test-results/check-$name.json"; fi
}
check lint npx eslint --max-warnings=0 .
check format npx prettier --check --log-level warn .
check typecheck npx tsc --noEmit -p tsconfig.json

echo "[test] unit + integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
echo "[test] end-to-end (Playwright, $(/usr/bin/chromium --version 2>/dev/null))"
npx playwright test

echo "[test] finished in $(( $(date +%s) - t0 )) s"
node scripts/test-totals.mjs
