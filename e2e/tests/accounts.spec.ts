// Accounts in the browser: register, confirm by mail (read from the real SMTP sink), sign in,
// reset a password by mail, and the lockout message.
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mailTo, linkIn, uniqueEmail } from './mail';
import { failOnConsoleErrors, hydrated, uniqueCode } from './helpers';
import { signIn, enrol } from './totp';

failOnConsoleErrors();

const PASSWORD = 'Uhd-Portal-2026';

async function registerByApi(page: Page, email: string) {
  const res = await page.request.post('/api/v1/auth/register', {
    data: { credit_code: uniqueCode(), company_name: '浏览器测试企业', contact_name: '王芳', email, phone: '13800138000', password: PASSWORD },
  });
  expect(res.status()).toBe(201);
}

test('a company registers, confirms its email from the mail, signs in and sees its dashboard', async ({ page }) => {
  const email = uniqueEmail('reg');
  const code = uniqueCode();
  await page.goto('/register');
  await hydrated(page);
  // The credit code is checked as it is typed.
  const live = page.getByTestId('credit-code-live');
  await page.getByLabel('统一社会信用代码').fill(code.slice(0, 17) + (code[17] === '0' ? '1' : '0'));
  await expect(live).toContainText('校验位不正确');
  await page.getByLabel('统一社会信用代码').fill(code.toLowerCase());
  await expect(live).toContainText('校验通过');
  await page.getByLabel('企业名称').fill('金桥浏览器测试科技有限公司');
  await page.getByLabel('联系人姓名').fill('张伟');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('手机号码').fill('13800138000');
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page.getByRole('heading', { name: '请查收确认邮件' })).toBeVisible();

  const mail = await mailTo(email, '确认');
  await page.goto(linkIn(mail, '/verify-email'));
  await expect(page.getByText('邮箱已确认')).toBeVisible();

  await page.goto('/login');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('company-name')).toHaveText('金桥浏览器测试科技有限公司');
  await expect(page.getByRole('cell', { name: '企业管理员' })).toBeVisible();
  await expect(page.getByText('您的邮箱尚未确认')).toHaveCount(0);
});

test('registration errors are shown next to their fields, translated', async ({ page }) => {
  await page.goto('/register');
  // DOMAIN.md's worked example with a wrong check character (the right one is Q).
  await page.getByLabel('统一社会信用代码').fill('91110108551385082A');
  await page.getByLabel('电子邮箱').fill('not-an-email');
  await page.getByLabel('密码', { exact: true }).fill('password');
  await page.getByRole('button', { name: '注册' }).click();
  await expect(page.getByLabel('电子邮箱')).toHaveAttribute('aria-invalid', 'true');
  // The focus starts on the summary of what to fix.
  await expect(page.getByTestId('error-summary')).toBeFocused();
  await expect(page.getByTestId('error-summary')).toContainText('处需要修改');
  await expect(page.getByText('请输入有效的电子邮箱地址。')).toBeVisible();
  await expect(page.getByText('密码须包含大写字母、小写字母、数字、符号中的至少三类。')).toBeVisible();
  // What was typed is kept (never the password).
  await expect(page.getByLabel('电子邮箱')).toHaveValue('not-an-email');
  await expect(page.getByLabel('密码', { exact: true })).toHaveValue('');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test('a forgotten password is reset by mail', async ({ page }) => {
  const email = uniqueEmail('reset');
  await registerByApi(page, email);
  await page.goto('/password-reset');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByRole('button', { name: '发送重置链接' }).click();
  await expect(page.getByText('如果该邮箱已注册')).toBeVisible();
  const mail = await mailTo(email, '重置密码');
  await page.goto(linkIn(mail, '/password-reset/confirm'));
  await page.getByLabel('新密码', { exact: true }).fill('Lanterns&Ledgers7');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByText('密码已重置')).toBeVisible();
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill('Lanterns&Ledgers7');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // The used link does not work twice.
  await page.goto(linkIn(mail, '/password-reset/confirm'));
  await page.getByLabel('新密码', { exact: true }).fill('Another-Pass-99x');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByRole('alert')).toContainText('链接无效或已使用');
});

test('five wrong passwords show the lockout message, in English too', async ({ page }) => {
  const email = uniqueEmail('lock');
  await registerByApi(page, email);
  await page.goto('/login');
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: 'en', url: new URL(page.url()).origin }]);
  for (let i = 0; i < 5; i++) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Wrong-Password-1');
    await page.getByRole('button', { name: 'Sign in' }).last().click();
    await expect(page.getByRole('alert')).toBeVisible();
  }
  await expect(page.getByRole('alert')).toContainText('Too many wrong passwords');
  // Even the right password waits now.
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.getByRole('alert')).toContainText('paused for 15 minutes');
});

test('the sign-in page is accessible and fits a phone', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/login');
  await hydrated(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test('a company admin invites a colleague by mail; the colleague joins and ends a session', async ({ page, browser }) => {
  const boss = uniqueEmail('boss');
  const colleague = uniqueEmail('colleague');
  await registerByApi(page, boss);
  await page.goto('/login');
  await page.getByLabel('电子邮箱').fill(boss);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByLabel('邀请同事（电子邮箱）').fill(colleague);
  await page.getByRole('button', { name: '发送邀请' }).click();
  await expect(page.getByText('邀请邮件已发送。')).toBeVisible();

  const mail = await mailTo(colleague, '企业成员');
  const other = await browser.newContext({ locale: 'zh-CN' });
  const p2 = await other.newPage();
  await p2.goto(linkIn(mail, '/invitation'));
  await expect(p2.getByText(colleague)).toBeVisible();
  await p2.getByLabel('联系人姓名').fill('李娜');
  await p2.getByLabel('密码', { exact: true }).fill('Lanterns&Ledgers7');
  await p2.getByRole('button', { name: '接受邀请' }).click();
  await expect(p2).toHaveURL(/\/dashboard$/);
  await expect(p2.getByTestId('company-name')).toHaveText('浏览器测试企业');
  // The colleague's account page lists this session; signing out everywhere ends it.
  await p2.goto('/account');
  await expect(p2.getByText('当前设备')).toBeVisible();
  await p2.getByRole('button', { name: '退出所有设备' }).click();
  await expect(p2).toHaveURL(/\/login$/);
  await p2.goto('/dashboard');
  // Signed out, a page sends the person to sign in and back.
  await expect(p2).toHaveURL(/\/login\?next=%2F/);
  await expect(p2.getByRole('heading', { name: '登录', exact: true })).toBeVisible();
  await other.close();

  // The admin sees the new member.
  await page.goto('/dashboard');
  await expect(page.getByRole('cell', { name: '李娜', exact: true })).toBeVisible();
});

test('a system admin invites a park manager, finds them by role and disables the account', async ({ page, browser }) => {
  const pm = uniqueEmail('pm');
  await signIn(page, 'admin@e2e.test', process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Portal-2026');
  await page.getByRole('link', { name: '邀请工作人员' }).click();
  await hydrated(page);
  await page.getByLabel('电子邮箱').fill(pm);
  await page.getByLabel('角色').selectOption('park_manager');
  // Without a base the form says what is missing.
  await page.getByRole('button', { name: '发送邀请' }).click();
  await expect(page.locator('#f-email')).toHaveValue(pm);
  await expect(page.locator('#f-base_id-error')).toHaveText('此项必填。');
  await page.getByLabel('角色').selectOption('park_manager');
  await page.getByLabel('产业基地（园区管理员）').selectOption({ label: '浦东金桥超高清视频产业基地' });
  await page.getByRole('button', { name: '发送邀请' }).click();
  await expect(page.getByText('邀请邮件已发送。')).toBeVisible();

  const mail = await mailTo(pm, '园区管理员');
  const other = await browser.newContext({ locale: 'zh-CN' });
  const p2 = await other.newPage();
  await p2.goto(linkIn(mail, '/invitation'));
  await p2.getByLabel('联系人姓名').fill('金桥园区运营');
  await p2.getByLabel('密码', { exact: true }).fill('Lanterns&Ledgers7');
  await p2.getByRole('button', { name: '接受邀请' }).click();
  await enrol(p2, pm);
  await expect(p2.locator('#main').getByText('园区管理员 · 浦东金桥超高清视频产业基地')).toBeVisible();

  // The filter lives in the URL.
  await page.goto('/admin/users');
  await page.getByLabel('邮箱或姓名').fill(pm);
  await page.getByLabel('角色').selectOption('park_manager');
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/role=park_manager/);
  await expect(page.getByTestId('users').getByRole('link', { name: pm })).toBeVisible();
  await page.getByTestId('users').getByRole('link', { name: pm }).click();
  await page.getByRole('button', { name: '停用账户' }).click();
  await expect(page.getByText('已保存。')).toBeVisible();
  // The park manager's session ended at once.
  await p2.goto('/dashboard');
  // Signed out, a page sends the person to sign in and back.
  await expect(p2).toHaveURL(/\/login\?next=%2F/);
  await expect(p2.getByRole('heading', { name: '登录', exact: true })).toBeVisible();
  await other.close();

  // The audit log names the event in words, and filters by kind.
  await page.goto('/admin/audit');
  await page.getByLabel('事件').selectOption({ label: '停用账号' });
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/event=user_disabled/);
  await expect(page.getByTestId('audit').getByRole('cell', { name: '停用账号', exact: true }).first()).toBeVisible();
  // ... and by the actor's role and the object concerned, keeping every filter in the form.
  await page.getByLabel('角色', { exact: true }).selectOption({ label: '系统管理员' });
  await page.getByLabel('涉及对象', { exact: true }).selectOption({ label: '用户' });
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/event=user_disabled.*role=system_admin.*object_type=user/);
  await expect(page.getByLabel('角色', { exact: true })).toHaveValue('system_admin');
  await expect(page.getByLabel('事件', { exact: true })).toHaveValue('user_disabled');
  const first = page.getByTestId('audit').locator('tbody tr').first();
  await expect(first).toContainText('系统管理员');
  await expect(first).toContainText(/用户 \d+/);
});
