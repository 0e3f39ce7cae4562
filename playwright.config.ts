import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser (no network for that on our machines).
const CHROMIUM = process.env.HANGAR_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  globalSetup: "./e2e/global-setup.ts",
  // Playwright empties its outputDir at start: keep it apart from the other suites' reports.
  outputDir: "test-results/e2e-artifacts",
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    browserName: "chromium",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  // The first-run spec needs the shared server before anyone exists on it; every other spec
  // signs in as the admin it creates (e2e/session.ts). A project dependency keeps that order
  // whatever the file names (alphabetical order put audit.spec.ts first).
  projects: [
    { name: "first-run", testMatch: /foundation\.spec\.ts$/ },
    { name: "console", testIgnore: /foundation\.spec\.ts$/, dependencies: ["first-run"] },
  ],
});
