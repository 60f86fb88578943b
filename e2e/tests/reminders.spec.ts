// A park manager reminds the tenants that have not filed their periodic report: the filing
// list pages with its filter kept, sending asks for confirmation and says how many emails went
// (and who could not be reached), pressing again sends nothing twice, and the company that
// opens the reminder while signed out lands on its report after signing in.
import { test, expect } from '@playwright/test';
import { failOnConsoleErrors, uniqueCode } from './helpers';
import { mailTo, linkIn, uniqueEmail } from './mail';
import { signIn, enrol, inviteJinqiaoManager } from './totp';
import { admit, applyToJinqiao } from './company';

failOnConsoleErrors();

const PASSWORD = 'Uhd-Portal-2026';

test('reminders are confirmed, counted, not repeated, and lead the company to its report', async ({ page, browser, baseURL }) => {
  test.setTimeout(90_000);
  // A company with an account, admitted in Jinqiao (through the API: the pages are tested elsewhere).
  const email = uniqueEmail('remind');
  const code = uniqueCode();
  const reg = await page.request.post('/api/v1/auth/register', {
    data: { credit_code: code, company_name: `提醒测试${Date.now() % 1_000_000}有限公司`, contact_name: '孙丽', email, phone: '13800138000', password: PASSWORD },
  });
  expect(reg.status()).toBe(201);
  const enterpriseId = (await reg.json()).enterprise_id;
  // It confirms its address and applies to join Jinqiao; the system admin admits it below.
  const joining = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await joining.goto(linkIn(await mailTo(email, '确认'), '/verify-email'));
  await signIn(joining, email, PASSWORD);
  await applyToJinqiao(joining, baseURL!, enterpriseId);
  await joining.context().close();
  // The demo data (e2e/start-server.sh) gives Jinqiao more admitted tenants than one page of
  // the filing list (50) shows.

  // The Jinqiao park manager.
  await signIn(page, 'admin@e2e.test', process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Portal-2026');
  await admit(page, baseURL!, enterpriseId);
  const pmEmail = uniqueEmail('pm-remind');
  const ctx = await browser.newContext({ locale: 'zh-CN' });
  const pm = await ctx.newPage();
  await pm.goto(await inviteJinqiaoManager(page, baseURL!, pmEmail));
  await pm.getByLabel('联系人姓名').fill('金桥园区运营');
  await pm.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await pm.getByRole('button', { name: '接受邀请' }).click();
  await enrol(pm, pmEmail);

  // The filing list pages and keeps its filter.
  await pm.goto('/park/reports');
  await pm.getByLabel('报表', { exact: true }).selectOption('false');
  await pm.getByRole('button', { name: '筛选' }).click();
  await expect(pm).toHaveURL(/filed=false/);
  const period = new URL(pm.url()).searchParams.get('period')!;
  expect(period).toMatch(/^\d{4}(-Q[1-4])?$/);
  const pager = pm.getByTestId('pager');
  await expect(pager).toContainText('第 1 /');
  await pager.getByRole('link', { name: '下一页' }).click();
  await expect(pm).toHaveURL(/page=2/);
  await expect(pm).toHaveURL(/filed=false/);
  await expect(pm).toHaveURL(new RegExp(`period=${period}`));
  await expect(pm.getByTestId('pager')).toContainText('第 2 /');

  // Sending asks first, with the numbers.
  await pm.getByRole('button', { name: '提醒未填报企业' }).click();
  const confirm = pm.getByTestId('reminders-confirm');
  await expect(confirm.getByRole('heading', { name: '确认发送提醒' })).toBeFocused();
  const text = (await confirm.textContent()) ?? '';
  const planned = Number(/将向 (\d+) 家/.exec(text)?.[1]);
  expect(planned).toBeGreaterThanOrEqual(1);
  // The demo tenants have no accounts: they are listed, not silently skipped.
  await expect(confirm).toContainText('以下企业尚无账户');
  await confirm.getByRole('button', { name: '确认发送' }).click();
  const result = pm.getByTestId('reminders-result');
  await expect(result).toContainText(`已向 ${planned} 家未填报企业发送提醒`);
  await expect(result).toContainText('家企业尚无账户');

  // Pressed again: nobody is emailed twice.
  await pm.getByRole('button', { name: '提醒未填报企业' }).click();
  await expect(pm.getByTestId('reminders-confirm')).toContainText('当前没有需要提醒的企业');
  await expect(pm.getByTestId('reminders-confirm')).toContainText('近期已提醒过');

  // Reminders for later: scheduled for tomorrow morning, listed as pending; the same time
  // twice is refused beside the field.
  const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
  const at = `09:${String(Date.now() % 60).padStart(2, '0')}`;
  await pm.goto(`/park/reports?period=${period}`);
  const schedule = pm.getByTestId('scheduled-reminders');
  await schedule.getByLabel('发送时间（北京时间）').fill(`${tomorrow}T${at}`);
  await schedule.getByRole('button', { name: '预约' }).click();
  await expect(pm.getByTestId('scheduled-reminders').getByRole('status')).toHaveText('已预约。');
  const row = pm.getByTestId('scheduled-reminders').getByTestId('jobs').locator('tbody tr').first();
  await expect(row).toContainText(`${tomorrow} ${at}`);
  await expect(row).toContainText('待执行');
  await pm.getByTestId('scheduled-reminders').getByLabel('发送时间（北京时间）').fill(`${tomorrow}T${at}`);
  await pm.getByTestId('scheduled-reminders').getByRole('button', { name: '预约' }).click();
  await expect(pm.getByTestId('error-summary')).toContainText('该时间已预约过。');

  // The company opens the reminder signed out, signs in and lands on the report to file.
  const mail = await mailTo(email, '经营数据');
  const link = linkIn(mail, '/reports');
  expect(link).toContain(`/company/${enterpriseId}/reports?period=${period}`);
  const companyCtx = await browser.newContext({ locale: 'zh-CN' });
  const company = await companyCtx.newPage();
  await company.goto(link);
  await expect(company).toHaveURL(/\/login\?next=/);
  await company.getByLabel('电子邮箱').fill(email);
  await company.getByLabel('密码').fill(PASSWORD);
  await company.getByRole('button', { name: '登录' }).click();
  await expect(company).toHaveURL(new RegExp(`/company/${enterpriseId}/reports\\?period=${period}$`));
  await ctx.close();
  await companyCtx.close();
});
