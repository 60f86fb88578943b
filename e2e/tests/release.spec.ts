// The release build as a newcomer gets it: test-all.sh builds the release browser bundle
// (scripts/build-release.sh: wasm-opt included) and every browser test runs against it. This
// file walks the main pages at 1280 and 360 px, as a visitor, a company user and a park
// manager: each page has its own title, hydrates (its islands run) with no console error, says
// who is signed in, and axe finds no violations.
import { test, expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { failOnConsoleErrors, hydrated, uniqueCode } from './helpers';
import { uniqueEmail } from './mail';
import { signIn, enrol, inviteJinqiaoManager } from './totp';

// Chromium logs the document of a 403 or 404 page as a failed resource; the test that opens
// such pages checks their status itself (a missing wasm or JS file would fail hydration).
failOnConsoleErrors((e) => /status of 40[34] \((Forbidden|Not Found)\)/.test(e));

const PASSWORD = 'Uhd-Portal-2026';
const PORTAL = '超高清视频产业服务平台';

async function axeClean(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

/** Open a page, wait until its islands are live, check its title and that nothing scrolls
 * sideways, and run axe. */
async function visit(page: Page, path: string, title: string | RegExp) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(200);
  await hydrated(page);
  await expect(page).toHaveTitle(title);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
  await axeClean(page);
}

// The walk opens its own pages (one per person), which the fixture page's listener does not
// see: each of them records its console errors here, and the walk ends with none.
const walkErrors: string[] = [];
const allowedError = (e: string) => /status of 40[34] \((Forbidden|Not Found)\)/.test(e);

async function newPage(browser: Browser, width: number): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width, height: 800 } });
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') walkErrors.push(`${page.url()}: ${m.text().slice(0, 300)}`);
  });
  page.on('pageerror', (e) => walkErrors.push(`${page.url()}: ${e.message.slice(0, 300)}`));
  return page;
}

for (const width of [1280, 360]) {
  test(`the main pages hydrate, title themselves and pass axe at ${width} px`, async ({ browser, baseURL }) => {
    test.setTimeout(120_000);
    walkErrors.length = 0;
    // A visitor: home, registration (the live credit-code check is an island), sign-in.
    const visitor = await newPage(browser, width);
    await visit(visitor, '/', PORTAL);
    await expect(visitor.getByTestId('visitor').getByRole('link', { name: '登录' })).toBeVisible();
    await expect(visitor.getByTestId('signed-in')).toHaveCount(0);
    await visit(visitor, '/register', `企业注册 - ${PORTAL}`);
    const code = uniqueCode();
    const field = visitor.getByLabel('统一社会信用代码');
    await field.fill(code.slice(0, 17) + (code[17] === '0' ? '1' : '0'));
    await expect(visitor.getByTestId('credit-code-live')).toContainText('校验位不正确');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(visitor.getByTestId('credit-code-live')).toHaveClass(/field__live--error/);
    await field.fill(code);
    await expect(visitor.getByTestId('credit-code-live')).toContainText('校验通过');
    await expect(field).toHaveAttribute('aria-invalid', 'false');
    await visit(visitor, '/login', `登录 - ${PORTAL}`);

    // A company user: dashboard, profile, account (issuing an API token is an island).
    const email = uniqueEmail(`rel${width}`);
    const company = await newPage(browser, width);
    const name = `发布构建测试${width}科技有限公司`;
    const reg = await company.request.post('/api/v1/auth/register', {
      data: { credit_code: uniqueCode(), company_name: name, contact_name: '周洁', email, phone: '13800138000', password: PASSWORD },
    });
    expect(reg.status()).toBe(201);
    await signIn(company, email, PASSWORD);
    await visit(company, '/dashboard', `工作台 - ${PORTAL}`);
    const header = company.getByTestId('signed-in');
    await expect(header).toContainText('周洁');
    await expect(header).toContainText(name);
    await expect(header.getByRole('button', { name: '退出登录' })).toBeVisible();
    const id = (await (await company.request.get('/api/v1/me')).json()).roles[0].enterprise_id;
    await visit(company, `/company/${id}/profile`, `${name} - ${PORTAL}`);
    await visit(company, '/account', `账户与安全 - ${PORTAL}`);
    await company.getByLabel('名称', { exact: true }).fill('发布构建');
    await company.getByRole('button', { name: '生成令牌' }).click();
    await expect(company.getByTestId('new-token')).toHaveText(/^uhd_/);

    // A park manager: the tenant list.
    const admin = await newPage(browser, width);
    await signIn(admin, 'admin@e2e.test', process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Portal-2026');
    await visit(admin, '/admin/calendar', `工作日历 - ${PORTAL}`);
    await visit(admin, '/admin/jobs', `定时任务 - ${PORTAL}`);
    // The program editor: a definition that does not parse is kept and shown again with why,
    // then discarded.
    await visit(admin, '/admin/programs', `专项管理 - ${PORTAL}`);
    await admin.getByRole('link', { name: '编辑 SH-2026-FIRST-SET' }).click();
    await expect(admin).toHaveTitle(`编辑专项 SH-2026-FIRST-SET - ${PORTAL}`);
    const definition = admin.getByLabel('专项定义（TOML）');
    await expect(definition).toHaveValue(/kind = "first_set_equipment"/);
    const text = await definition.inputValue();
    await definition.fill(`${text}
budget_note = `);
    await admin.getByRole('button', { name: '保存', exact: true }).click();
    await expect(admin.getByTestId('error-summary')).toBeFocused();
    await expect(admin.getByTestId('kept-edit')).toContainText('line');
    await expect(definition).toHaveValue(/budget_note = $/);
    await axeClean(admin);
    await admin.getByRole('button', { name: '放弃这些修改' }).click();
    await expect(admin.getByTestId('kept-edit')).toHaveCount(0);
    await expect(definition).toHaveValue(text);
    const pmEmail = uniqueEmail(`relpm${width}`);
    const pm = await newPage(browser, width);
    await pm.goto(await inviteJinqiaoManager(admin, baseURL!, pmEmail));
    await pm.getByLabel('联系人姓名').fill('金桥园区运营');
    await pm.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await pm.getByRole('button', { name: '接受邀请' }).click();
    await enrol(pm, pmEmail);
    await visit(pm, '/park/tenants', `入驻企业 - ${PORTAL}`);
    await expect(pm.getByTestId('signed-in')).toContainText('园区管理员 · 浦东金桥超高清视频产业基地');

    // Signing out from the header.
    await header.getByRole('button', { name: '退出登录' }).click();
    await expect(company).toHaveURL(/\/$/);
    await expect(company.getByTestId('visitor')).toBeVisible();
    expect(walkErrors.filter((e) => !allowedError(e))).toEqual([]);
  });
}

test('a page that needs sign-in sends the person to sign in and back to it', async ({ page }) => {
  const email = uniqueEmail('deeplink');
  const reg = await page.request.post('/api/v1/auth/register', {
    data: { credit_code: uniqueCode(), company_name: '深链接测试有限公司', contact_name: '吴磊', email, phone: '13800138000', password: PASSWORD },
  });
  expect(reg.status()).toBe(201);
  const id = (await reg.json()).enterprise_id;
  await page.context().clearCookies();
  await page.goto(`/company/${id}/reports?period=2026-Q3`);
  await expect(page).toHaveURL(new RegExp(`/login\\?next=%2Fcompany%2F${id}%2Freports%3Fperiod%3D2026-Q3$`));
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(new RegExp(`/company/${id}/reports\\?period=2026-Q3$`));
  // A link to somewhere else is never followed.
  await page.getByTestId('signed-in').getByRole('button', { name: '退出登录' }).click();
  await page.goto('/login?next=//evil.example/');
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('a page the person may not see says so with 403', async ({ page }) => {
  const email = uniqueEmail('forbidden');
  const reg = await page.request.post('/api/v1/auth/register', {
    data: { credit_code: uniqueCode(), company_name: '越权测试有限公司', contact_name: '钱进', email, phone: '13800138000', password: PASSWORD },
  });
  expect(reg.status()).toBe(201);
  await signIn(page, email, PASSWORD);
  const res = await page.goto('/park/tenants');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: '您没有执行此操作的权限。' })).toBeVisible();
  await expect(page).toHaveTitle(`您没有执行此操作的权限。 - ${PORTAL}`);
  const other = await page.goto('/company/999999/profile');
  expect(other?.status()).toBe(404);
});
