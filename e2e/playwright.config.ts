// Browser tests: the system Chromium against the real server, one project per database.
// Each project's server is started by start-server.sh with a fresh, seeded database.
import { defineConfig } from '@playwright/test';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PORTS = { sqlite: 3101, postgres: 3102 } as const;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
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
  projects: [
    { name: 'sqlite', use: { baseURL: `http://127.0.0.1:${PORTS.sqlite}` } },
    { name: 'postgres', use: { baseURL: `http://127.0.0.1:${PORTS.postgres}` } },
  ],
  webServer: [
    {
      command: `bash ./start-server.sh sqlite ${PORTS.sqlite}`,
      url: `http://127.0.0.1:${PORTS.sqlite}/readyz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `bash ./start-server.sh postgres ${PORTS.postgres}`,
      url: `http://127.0.0.1:${PORTS.postgres}/readyz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
