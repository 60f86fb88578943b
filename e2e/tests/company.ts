// A company as the review and filing tests need it: registered through the API, its address
// confirmed from the mail, signed in, its profile complete and its business licence uploaded;
// admitted to Jinqiao and verified by the system admin (all through the API, as the people
// would through the pages the registry tests cover).
import { expect, Page, Browser } from '@playwright/test';
import { mailTo, linkIn, uniqueEmail } from './mail';
import { creditCode, PDF } from './helpers';
import { signIn } from './totp';

export const PASSWORD = 'Uhd-Portal-2026';

const admins = new Map<string, Page>();

/** The system admin, signed in once per server in a browser context of their own (each
 * sign-in spends an authenticator step). */
export async function adminSession(browser: Browser, origin: string): Promise<Page> {
  const known = admins.get(origin);
  if (known && !known.isClosed() && (await known.request.get('/api/v1/me')).ok()) return known;
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await signIn(page, 'admin@e2e.test', process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Portal-2026');
  admins.set(origin, page);
  return page;
}

/** As the company's signed-in administrator (`page`), apply to join Jinqiao. */
export async function applyToJinqiao(page: Page, origin: string, enterprise: number) {
  const bases = (await (await page.request.get('/api/v1/bases')).json()) as { id: number; code: string }[];
  const jinqiao = bases.find((b) => b.code === 'jinqiao')!;
  const applied = await page.request.post(`/api/v1/enterprises/${enterprise}/tenancies`, {
    headers: { origin },
    data: { base_id: jinqiao.id, segment: 'capture-production', floor_space_m2: 800, staff_on_site: 40, plan: '8K 摄录设备研发与生产。' },
  });
  expect(applied.status(), await applied.text()).toBe(201);
}

/** As a signed-in system admin or park manager (`staff`), admit every application the
 * company `enterprise` has open. */
export async function admit(staff: Page, origin: string, enterprise: number) {
  const tenancies = (await (await staff.request.get(`/api/v1/enterprises/${enterprise}/tenancies`)).json()) as { id: number; status: string }[];
  const open = tenancies.filter((t) => t.status === 'applied');
  expect(open.length).toBeGreaterThan(0);
  for (const t of open) {
    const admitted = await staff.request.post(`/api/v1/tenancies/${t.id}/decision`, { headers: { origin }, data: { action: 'admit' } });
    expect(admitted.status(), await admitted.text()).toBe(200);
  }
}

/** A company ready to file: registered, email confirmed, profile complete, licence uploaded,
 * admitted to Jinqiao and verified. */
export async function readyCompany(browser: Browser, origin: string, javaScript = true): Promise<{ page: Page; name: string }> {
  const ctx = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: javaScript });
  const page = await ctx.newPage();
  const email = uniqueEmail('filing');
  const name = `申报测试${Date.now() % 1_000_000}有限公司`;
  const code = creditCode((Date.now() % 90_000_000) + Math.floor(Math.random() * 1000));
  const reg = await page.request.post('/api/v1/auth/register', {
    data: { credit_code: code, company_name: name, contact_name: '赵敏', email, phone: '13800138000', password: PASSWORD },
  });
  expect(reg.status()).toBe(201);
  const enterprise = (await reg.json()).enterprise_id as number;
  await page.goto(linkIn(await mailTo(email, '确认'), '/verify-email'));
  await signIn(page, email, PASSWORD);
  // A write with the session cookie must come from the portal's own origin, as a browser's does.
  const profile = await page.request.put(`/api/v1/enterprises/${enterprise}/profile`, {
    headers: { origin },
    data: {
      name_zh: name, legal_representative: '赵敏', address: '上海市浦东新区金海路 100 号', district: '浦东新区',
      registered_capital: 1_000_000_000, founded_on: '2015-03-01', employees: 80,
      segments: ['capture-production', 'content-production'], qualifications: [], contacts: [{ name: '赵敏', phone: '13800138000' }],
    },
  });
  expect(profile.status()).toBe(200);
  const licence = await page.request.post(`/api/v1/enterprises/${enterprise}/documents?kind=business_licence&file_name=licence.pdf`, {
    headers: { origin, 'content-type': 'application/octet-stream' },
    data: PDF,
  });
  expect(licence.status(), await licence.text()).toBe(201);
  await applyToJinqiao(page, origin, enterprise);
  const admin = await adminSession(browser, origin);
  await admit(admin, origin, enterprise);
  const verified = await admin.request.post(`/api/v1/enterprises/${enterprise}/verification`, { headers: { origin }, data: { decision: 'verified' } });
  expect(verified.status(), await verified.text()).toBe(200);
  return { page, name };
}

