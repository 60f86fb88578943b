// Security in the browser: a park manager enrols an authenticator (the test computes the code
// from the key shown on the page) and signs in with two factors; a system admin verifies a
// company's business licence and the company sees it is verified.
import { test, expect, Page, Browser } from '@playwright/test';
import { mailTo, linkIn, uniqueEmail } from './mail';
import { failOnConsoleErrors, PDF, uniqueCode } from './helpers';
import { signIn, enrol, giveCode, inviteJinqiaoManager } from './totp';

failOnConsoleErrors();

const PASSWORD = 'Uhd-Portal-2026';
const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Portal-2026';

async function newPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN' });
  return ctx.newPage();
}

test('a park manager enrols an authenticator app and signs in with two factors', async ({ page, browser, baseURL }) => {
  // Each sign-in gives a fresh code; the next may be a 30-second authenticator step away.
  test.setTimeout(90_000);
  const pmEmail = uniqueEmail('pm-2fa');
  await signIn(page, 'admin@e2e.test', ADMIN_PASSWORD);
  const link = await inviteJinqiaoManager(page, baseURL!, pmEmail);

  const pm = await newPage(browser);
  await pm.goto(link);
  await pm.getByLabel('联系人姓名').fill('金桥两步验证');
  await pm.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await pm.getByRole('button', { name: '接受邀请' }).click();
  // Before anything else: the QR code and the key, confirmed with a first code.
  const recovery = await enrol(pm, pmEmail);
  expect(recovery[0]).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await expect(pm.locator('#main').getByText('园区管理员 · 浦东金桥超高清视频产业基地')).toBeVisible();
  // The recovery codes are shown once only.
  await pm.goto('/account/recovery-codes');
  await expect(pm.getByTestId('recovery-codes')).toHaveCount(0);

  await pm.goto('/account');
  await expect(pm.getByText('已启用：登录时需输入身份验证器应用的验证码。')).toBeVisible();
  await pm.getByRole('button', { name: '退出登录' }).click();
  await pm.goto('/login');
  await pm.getByLabel('电子邮箱').fill(pmEmail);
  await pm.getByLabel('密码').fill(PASSWORD);
  await pm.getByRole('button', { name: '登录' }).click();
  await expect(pm).toHaveURL(/\/login\/second-factor/);
  // Without the code, nothing of the portal opens.
  await pm.goto('/park/tenants');
  // Signed out, a page sends the person to sign in and back.
  await expect(pm).toHaveURL(/\/login\?next=%2F/);
  await expect(pm.getByRole('heading', { name: '登录', exact: true })).toBeVisible();
  await pm.goto('/login/second-factor');
  // A wrong code is refused with a translated message, then the right one lets in.
  await pm.getByLabel('验证码', { exact: true }).fill('000000');
  await pm.getByRole('button', { name: '验证', exact: true }).click();
  await expect(pm.getByText('验证码不正确或已使用过')).toBeVisible();
  await giveCode(pm, pmEmail);
  await expect(pm).toHaveURL(/\/dashboard$/);
  await expect(pm.locator('#main').getByText('园区管理员 · 浦东金桥超高清视频产业基地')).toBeVisible();
});

test('a system admin verifies a company from its licence and the company sees it is verified', async ({ page, browser }) => {
  // Signing staff in may wait for the next authenticator step (a code is accepted once).
  test.setTimeout(90_000);
  const email = uniqueEmail('verify');
  const name = `认证测试${Date.now() % 1_000_000}有限公司`;
  const company = await newPage(browser);
  const reg = await company.request.post('/api/v1/auth/register', {
    data: { credit_code: uniqueCode(), company_name: name, contact_name: '周杰', email, phone: '13800138000', password: PASSWORD },
  });
  expect(reg.status()).toBe(201);
  const { enterprise_id: id } = await reg.json();
  await company.goto(linkIn(await mailTo(email, '确认'), '/verify-email'));
  await expect(company.getByText('邮箱已确认')).toBeVisible();
  await signIn(company, email, PASSWORD);
  await company.goto(`/company/${id}/profile`);
  await expect(company.getByTestId('verification-status')).toContainText('待认证');
  await company.getByLabel('文件类型').selectOption('business_licence');
  await company.getByLabel(/^文件（/).setInputFiles({ name: 'licence.pdf', mimeType: 'application/pdf', buffer: PDF });
  await company.getByRole('button', { name: '上传' }).click();
  await expect(company.getByText('文件已上传。')).toBeVisible();

  await signIn(page, 'admin@e2e.test', ADMIN_PASSWORD);
  await page.goto(`/park/companies/${id}`);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByTestId('documents').getByRole('link', { name: 'licence.pdf' })).toBeVisible();
  await page.getByRole('button', { name: '认证通过' }).click();
  await expect(page.getByText('已保存。')).toBeVisible();
  await expect(page.getByTestId('verification')).toContainText('已认证');

  await company.goto(`/company/${id}/profile`);
  await expect(company.getByTestId('verification-status')).toContainText('已认证');
  await mailTo(email, '已通过企业认证');
});
