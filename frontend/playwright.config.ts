import { defineConfig } from '@playwright/test';

// Runs against a live Conduit stack: BASE_URL (the site under test) and OTHER_URL (a second tenant that must see
// none of it). Debian's Chromium; Playwright never downloads a browser.
export default defineConfig({
  testDir: './e2e',
  workers: 1,
  retries: 1,  // one retry: a journey timed out once on the shared 2-core box (see the closing note); a retry is reported as flaky
  fullyParallel: false,
  reporter: 'list',
  timeout: 90_000,
  expect: { timeout: 20_000 }, // a loaded CI box: password hashing alone can take seconds
  use: {
    baseURL: process.env.BASE_URL,
    launchOptions: { executablePath: process.env.CONDUIT_TEST_CHROMIUM || '/usr/bin/chromium' },
    viewport: { width: 1280, height: 800 },
    trace: 'off',
    screenshot: 'off',
  },
});
