// A company as the review and filing tests need it: registered through the API, its address
// confirmed from the mail, signed in, its profile complete, admitted to Jinqiao and verified
// (the last two as a park manager would have done, set in the database).
import { expect, Page, Browser } from '@playwright/test';
import { mailTo, linkIn, uniqueEmail } from './mail';
import { creditCode } from './helpers';
import { signIn } from './totp';
import { sql } from './db';

export const PASSWORD = 'Uhd-Portal-2026';

/** A company ready to file: registered, email confirmed, profile complete, admitted to
 * Jinqiao and verified (the last two as a park manager would have done, set in the database). */
export async function readyCompany(browser: Browser, project: string, origin: string, javaScript = true): Promise<{ page: Page; name: string }> {
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
  sql(project, `INSERT INTO tenancies (enterprise_id, base_id, status, applied_at, admitted_at, created_at, updated_at, enterprise_name, enterprise_credit_code) SELECT ${enterprise}, id, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '${name}', '${code}' FROM bases WHERE code = 'jinqiao'`);
  sql(project, `UPDATE enterprises SET verification = 'verified' WHERE id = ${enterprise}`);
  return { page, name };
}

