// Browser tests: the system Chromium against the real server, one project per database.
// Each project's server is started by start-server.sh with a fresh, seeded database.
import { defineConfig } from '@playwright/test';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PORTS = { sqlite: 3101, postgres: 3102 } as const;

export default defineConfig({
  testDir: './tests',
  // Staff sign in with a fresh authenticator code each time; the next may be a 30-second step away.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    },
    locale: 'zh-CN',
    trace: 'off',
  },
  projects: Object.entries(PORTS).map(([name, port]) => ({
    name,
    use: { baseURL: `http://127.0.0.1:${port}` },
  })),
  webServer: Object.entries(PORTS).map(([name, port]) => ({
    command: `bash ./start-server.sh ${name} ${port}`,
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  })),
});
