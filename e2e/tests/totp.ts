// Signing in as the portal asks: staff enrol an authenticator at their first sign-in (the test
// reads the key shown on the page, as a person would type it into an app) and give a code at
// every sign-in after. Codes come from the otpauth package; a code is accepted once, so the
// helper remembers the last time step used per account (in a file per server, which
// start-server.sh empties) and uses the next one.
import { expect, Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import fs from 'node:fs';
import path from 'node:path';
import { mailTo, linkIn } from './mail';

type Entry = { secret: string; lastStep: number };

function stateFile(page: Page): string {
  const port = new URL(page.url()).port || '80';
  return path.join(__dirname, '..', '..', 'target', `e2e-totp-${port}.json`);
}

function load(page: Page): Record<string, Entry> {
  try {
    return JSON.parse(fs.readFileSync(stateFile(page), 'utf8'));
  } catch {
    return {};
  }
}

function save(page: Page, all: Record<string, Entry>) {
  fs.mkdirSync(path.dirname(stateFile(page)), { recursive: true });
  fs.writeFileSync(stateFile(page), JSON.stringify(all));
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

/** A code for `email` that the portal has not seen yet (waits for the next step if needed). */
export async function nextCode(page: Page, email: string): Promise<string> {
  const all = load(page);
  const entry = all[email];
  expect(entry, `an enrolled authenticator for ${email}`).toBeTruthy();
  // The portal accepts the current step and one either side, each once.
  while (entry.lastStep >= stepNow() + 1) {
    await page.waitForTimeout(1000);
  }
  const step = Math.max(stepNow(), entry.lastStep + 1);
  entry.lastStep = step;
  save(page, all);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(entry.secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: step * 30 * 1000 });
}

/** On the enrolment page: read the key, confirm with a first code, keep the recovery codes. */
export async function enrol(page: Page, email: string): Promise<string[]> {
  await expect(page).toHaveURL(/\/account\/second-factor$/);
  await expect(page.getByRole('img', { name: /二维码|QR code/ })).toBeVisible();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
  const all = load(page);
  all[email] = { secret, lastStep: -1 };
  save(page, all);
  await page.getByLabel('验证码', { exact: true }).fill(await nextCode(page, email));
  await page.getByRole('button', { name: '完成绑定' }).click();
  await expect(page).toHaveURL(/\/account\/recovery-codes$/);
  const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
  expect(codes).toHaveLength(10);
  await page.getByRole('link', { name: '我已保存，继续' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return codes;
}

/** Give the code on the second-factor page. */
export async function giveCode(page: Page, email: string) {
  await expect(page).toHaveURL(/\/login\/second-factor/);
  await page.getByLabel('验证码', { exact: true }).fill(await nextCode(page, email));
  await page.getByRole('button', { name: '验证', exact: true }).click();
}

/** As a signed-in system admin (`admin`), invite a park manager of Jinqiao; returns the
 * invitation link from the mail. */
export async function inviteJinqiaoManager(admin: Page, baseURL: string, email: string): Promise<string> {
  const bases = await (await admin.request.get('/api/v1/bases')).json();
  const jinqiao = bases.find((b: any) => b.code === 'jinqiao');
  const invite = await admin.request.post('/api/v1/invitations', {
    headers: { Origin: baseURL },
    data: { email, role: 'park_manager', base_id: jinqiao.id },
  });
  expect(invite.status()).toBe(201);
  return linkIn(await mailTo(email, '园区管理员'), '/invitation');
}

/** Sign in with the password and, for staff, the second factor (enrolling the first time). */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/(dashboard|login\/second-factor|account\/second-factor)/);
  if (/\/account\/second-factor$/.test(page.url())) {
    await enrol(page, email);
  } else if (/\/login\/second-factor/.test(page.url())) {
    await giveCode(page, email);
  }
  await expect(page).toHaveURL(/\/dashboard$/);
}
