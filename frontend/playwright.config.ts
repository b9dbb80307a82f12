import { defineConfig } from '@playwright/test';

// Runs against a live Conduit stack: BASE_URL (the site under test) and OTHER_URL (a second tenant that must see
// none of it). Debian's Chromium; Playwright never downloads a browser.
export default defineConfig({
  testDir: './e2e',
  workers: 1,
  retries: 0,
  fullyParallel: false,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.BASE_URL,
    launchOptions: { executablePath: process.env.CONDUIT_TEST_CHROMIUM || '/usr/bin/chromium' },
    viewport: { width: 1280, height: 800 },
    trace: 'off',
    screenshot: 'off',
  },
});
