// The registry in the browser: a company fills its profile and applies to join Jinqiao; the
// Jinqiao park manager finds it with the tenant-list filters (kept in the URL) and admits it.
import { test, expect, Page, Browser } from '@playwright/test';
import { mailTo, linkIn, uniqueEmail } from './mail';
import { failOnConsoleErrors, creditCode } from './helpers';
import { signIn, enrol, inviteJinqiaoManager } from './totp';
import ExcelJS from 'exceljs';

failOnConsoleErrors();

const PASSWORD = 'Uhd-Portal-2026';


async function newPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN' });
  return ctx.newPage();
}

test('a company joins Jinqiao and the park manager finds and admits it', async ({ page, browser, baseURL }) => {
  // The park manager, invited by the admin.
  const pmEmail = uniqueEmail('pm-reg');
  await signIn(page, 'admin@e2e.test', process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Portal-2026');
  const pm = await newPage(browser);
  await pm.goto(await inviteJinqiaoManager(page, baseURL!, pmEmail));
  await pm.getByLabel('联系人姓名').fill('金桥园区');
  await pm.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await pm.getByRole('button', { name: '接受邀请' }).click();
  // Staff enrol an authenticator before anything else.
  await enrol(pm, pmEmail);

  // The company registers, fills its profile and applies.
  const email = uniqueEmail('join');
  const name = `金桥入驻测试${Date.now() % 1_000_000}有限公司`;
  const company = await newPage(browser);
  const reg = await company.request.post('/api/v1/auth/register', {
    data: { credit_code: creditCode(Date.now() % 100_000_000), company_name: name, contact_name: '赵敏', email, phone: '13800138000', password: PASSWORD },
  });
  expect(reg.status()).toBe(201);
  // Filing anything (documents, the application to join) needs the confirmed address.
  await company.goto(linkIn(await mailTo(email, '确认'), '/verify-email'));
  await expect(company.getByText('邮箱已确认')).toBeVisible();
  await signIn(company, email, PASSWORD);
  await company.getByRole('link', { name: '企业信息' }).click();
  await expect(company.getByRole('heading', { name })).toBeVisible();
  await company.getByLabel('法定代表人').fill('赵敏');
  await company.getByLabel('注册地址').fill('上海市浦东新区金海路 100 号');
  await company.getByLabel('所在区').fill('浦东新区');
  await company.getByLabel('注册资本（元）').fill('10,000,000');
  await company.getByLabel('成立日期').fill('2018-06-01');
  await company.getByLabel('员工人数').fill('85');
  await company.getByLabel('采集与制作设备').check();
  await expect(company.locator('#q0_kind')).toHaveValue('');
  await company.locator('#q0_no').fill('GR202331009999');
  await company.locator('#q0_kind').selectOption('high_tech');
  await company.getByRole('button', { name: '保存' }).click();
  await expect(company.getByText('已保存。')).toBeVisible();
  // A certificate without its type is refused: no type is never taken to mean one.
  await expect(company.locator('#q1_kind')).toHaveValue('');
  await company.locator('#q1_no').fill('TS2026310099');
  await company.getByLabel('显示器件').check();
  await company.locator('#c0_name').fill('钱进');
  await company.getByRole('button', { name: '保存' }).click();
  await expect(company.locator('#f-q1_kind-error')).toHaveText('此项必填。');
  await expect(company.getByTestId('error-summary')).toBeFocused();
  // Everything sent comes back: the row, the ticked boxes, the contact.
  await expect(company.locator('#q1_no')).toHaveValue('TS2026310099');
  await expect(company.locator('#q0_kind')).toHaveValue('high_tech');
  await expect(company.getByLabel('显示器件')).toBeChecked();
  await expect(company.getByLabel('采集与制作设备')).toBeChecked();
  await expect(company.locator('#c0_name')).toHaveValue('钱进');
  await expect(company.getByTestId('history')).toContainText('法定代表人');
  await expect(company.getByTestId('history')).not.toContainText('legal_representative');
  // The business licence: a text file named .pdf is refused, a real PDF is kept.
  const fileInput = company.getByLabel('文件（PDF、JPEG 或 PNG，20 MB 以内）');
  await fileInput.setInputFiles({ name: 'licence.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not really a pdf') });
  await company.getByRole('button', { name: '上传' }).click();
  await expect(company.locator('#f-file-error')).toContainText('不是 PDF、JPEG 或 PNG');
  await company.getByLabel('文件（PDF、JPEG 或 PNG，20 MB 以内）').setInputFiles({ name: '营业执照.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await company.getByRole('button', { name: '上传' }).click();
  await expect(company.getByText('文件已上传。')).toBeVisible();
  await expect(company.getByTestId('documents')).toContainText('营业执照.pdf');

  await company.goto(company.url().replace('/profile', '/tenancies').replace(/\?.*$/, ''));
  await company.getByLabel('产业基地').selectOption({ label: '浦东金桥超高清视频产业基地' });
  await company.getByLabel('产业链环节').selectOption({ label: '采集与制作设备' });
  await company.getByLabel('计划使用面积（平方米）').fill('600');
  await company.getByLabel('入驻人数').fill('30');
  await company.getByLabel('入驻计划（简述）').fill('8K 摄像机研发中心');
  await company.getByRole('button', { name: '提交申请' }).click();
  await expect(company.getByText('入驻申请已提交')).toBeVisible();
  await expect(company.getByTestId('tenancy-status').first()).toHaveText('已申请');

  // The park manager filters the list; the filter is in the URL.
  await pm.goto('/park/tenants');
  await pm.getByLabel('企业名称或统一社会信用代码').fill(name);
  await pm.getByLabel('状态').selectOption('applied');
  await pm.getByLabel('资质类型').selectOption('high_tech');
  await pm.getByRole('button', { name: '筛选' }).click();
  await expect(pm).toHaveURL(/status=applied/);
  await expect(pm).toHaveURL(/qualification=high_tech/);
  const rows = pm.getByTestId('tenants').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  // The filtered list exports to Excel; the file holds exactly the rows shown.
  const [download] = await Promise.all([pm.waitForEvent('download'), pm.getByTestId('export-xlsx').click()]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(await download.path());
  const sheet = book.getWorksheet('入驻企业')!;
  expect(sheet.getRow(1).getCell(1).value).toBe('企业名称');
  expect(sheet.actualRowCount).toBe(2);
  expect(sheet.getRow(2).getCell(1).value).toBe(name);
  expect(sheet.getRow(2).getCell(3).value).toBe('已申请');
  // The applied-on date is a date cell, not text.
  expect(sheet.getRow(2).getCell(5).value).toBeInstanceOf(Date);
  await rows.getByRole('link', { name }).click();
  await expect(pm.getByRole('heading', { name })).toBeVisible();
  const tenantPage = pm.url();
  await expect(pm.getByTestId('documents').getByRole('link', { name: '营业执照.pdf' })).toBeVisible();
  // Rejecting needs a reason.
  await pm.getByRole('button', { name: '不予入驻' }).click();
  await expect(pm.locator('#f-reason-error')).toHaveText('此项必填。');
  await pm.getByRole('button', { name: '同意入驻' }).click();
  // The page says what happened to whom; the company gets an email.
  await expect(pm.getByTestId('decision-result')).toHaveText(`已将 ${name} 的入驻状态改为“已入驻”，并已发邮件通知该企业的管理员。`);
  const admitted = await mailTo(email, '入驻状态已更新为“已入驻”');
  expect(linkIn(admitted, '/tenancies')).toContain('/company/');

  await company.reload();
  await expect(company.getByTestId('tenancy-status').first()).toHaveText('已入驻');

  // The company files its quarterly report; the segment amounts must add up.
  await company.goto(company.url().replace('/tenancies', '/reports').replace(/\?.*$/, ''));
  const period = await company.getByTestId('report-period').textContent();
  await company.getByLabel('采集与制作设备').fill('3,000,000');
  await company.getByLabel('营业收入合计（元）').fill('3,000,001');
  await company.getByLabel('研发投入（元）').fill('450000');
  await company.getByLabel('员工人数').fill('85');
  await company.getByLabel('4K 内容产量（小时）').fill('120.5');
  await company.getByLabel('8K 内容产量（小时）').fill('6');
  await company.getByLabel('授权专利（件）').fill('3');
  await company.getByRole('button', { name: '提交报表' }).click();
  await expect(company.locator('#f-revenue_total-error')).toHaveText('分环节收入之和与合计不一致。');
  await company.getByLabel('营业收入合计（元）').fill('3,000,000');
  await company.getByRole('button', { name: '提交报表' }).click();
  await expect(company.getByText('报表已保存。')).toBeVisible();
  await expect(company.getByTestId('reports')).toContainText('120.50');

  // The manager sees it filed for the period.
  await pm.goto(`/park/reports?period=${period}&filed=true`);
  await expect(pm.getByTestId('filing').getByRole('link', { name })).toBeVisible();
  // ... and reads it on the tenant's page.
  await pm.goto(tenantPage);
  await expect(pm.getByTestId('tenant-reports')).toContainText(period!);

  // The dashboard: charts with their figures beside them, readable on a phone.
  await pm.setViewportSize({ width: 360, height: 740 });
  await pm.goto('/park/dashboard');
  await expect(pm.getByRole('img', { name: '在园企业（按产业链环节）' })).toBeVisible();
  const revenue = pm.getByRole('figure', { name: '营业收入（按报告期，元）' });
  await expect(revenue.getByRole('row', { name: new RegExp(period!) })).toContainText('3,000,000.00');
  expect(await pm.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test('an admin adds a base; anyone reads its public page', async ({ page, browser }) => {
  const code = `e2e-${Date.now() % 1_000_000}`;
  await signIn(page, 'admin@e2e.test', process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Portal-2026');
  await page.goto('/admin/bases');
  await page.getByLabel('代码（网址用，小写字母、数字、连字符）').fill('Not A Code');
  await page.getByLabel('中文名称').fill('测试超高清基地');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.locator('#f-code-error')).toHaveText('代码只能包含小写字母、数字和连字符。');
  await expect(page.getByLabel('中文名称')).toHaveValue('测试超高清基地');
  await page.getByLabel('代码（网址用，小写字母、数字、连字符）').fill(code);
  await page.getByLabel('英文名称').fill('Test UHD Base');
  await page.getByLabel('城市（中文）').fill('广州');
  await page.getByLabel('城市（英文）').fill('Guangzhou');
  await page.getByLabel('区（中文）').fill('黄埔区');
  await page.getByLabel('区（英文）').fill('Huangpu');
  await page.getByLabel('区划代码（6 位）').fill('440112');
  await page.getByLabel('简介（中文）').fill('超高清终端制造。');
  await page.getByLabel('简介（英文）').fill('UHD terminal manufacturing.');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('已保存。')).toBeVisible();
  await expect(page.getByTestId('admin-bases')).toContainText(code);

  const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await visitor.goto('/bases/jinqiao');
  await expect(visitor.getByRole('heading', { level: 1, name: '浦东金桥超高清视频产业基地' })).toBeVisible();
  await expect(visitor.getByRole('img', { name: '在园企业（按产业链环节）' })).toBeVisible();
  expect(await visitor.getByTestId('public-tenants').locator('tbody tr').count()).toBeGreaterThan(0);
  await visitor.goto(`/bases/${code}`);
  await expect(visitor.getByRole('heading', { level: 1, name: '测试超高清基地' })).toBeVisible();
});
