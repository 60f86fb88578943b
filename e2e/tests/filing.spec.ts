// Filing in the browser: a company reads the guide, sees it may apply, files a first-set
// equipment application step by step with uploads, leaves and comes back to its draft, submits
// and downloads the form; a UHD content application likewise; a second company's duplicate is
// refused with its message; the steps also work with JavaScript off; axe finds no violations.
import { test, expect, Page } from '@playwright/test';
import { failOnConsoleErrors, creditCode, hydrated, noViolations, PDF } from './helpers';
import { readyCompany } from './company';

failOnConsoleErrors();

/** Upload the first material over a slow link (Chromium's network emulation), so the progress
 * bar the page shows while sending is there to be seen; then back to full speed. */
async function uploadSlowly(page: Page) {
  await expect(page.getByRole('heading', { name: '申报材料' })).toBeVisible();
  await hydrated(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 4 * 1024 * 1024, uploadThroughput: 256 * 1024 });
  const card = page.locator('[data-material]').first();
  const code = (await card.getAttribute('data-material'))!;
  const big = Buffer.concat([PDF, Buffer.alloc(1024 * 1024, 0x20)]);
  await card.locator('input[type=file]').setInputFiles({ name: 'large-scan.pdf', mimeType: 'application/pdf', buffer: big });
  await card.getByRole('button', { name: '上传' }).click();
  const bar = card.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect(card.getByTestId('upload-progress')).toContainText('正在上传');
  await page.waitForURL(new RegExp(`uploaded=${code}$`), { timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(page.locator(`[data-material="${code}"]`)).toContainText('已上传：');
}

async function uploadAll(page: Page) {
  // The materials step must be on screen before its cards are counted: right after
  // "save and continue" the project step may still be showing, with no cards at all.
  await expect(page.getByRole('heading', { name: '申报材料' })).toBeVisible();
  const cards = page.locator('[data-material]');
  const count = await cards.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const card = page.locator('[data-material]').nth(i);
    const code = (await card.getAttribute('data-material'))!;
    // One uploaded already (the slow upload) keeps its file: uploading it again would leave
    // the address as it is, and the next click could race that page's load.
    if ((await card.textContent())!.includes('已上传：')) continue;
    await card.locator('input[type=file]').setInputFiles({ name: `scan-${i}.pdf`, mimeType: 'application/pdf', buffer: PDF });
    await card.getByRole('button', { name: '上传' }).click();
    // This upload's answer, not the previous one's message still on the page.
    await page.waitForURL(new RegExp(`uploaded=${code}$`));
    await expect(page.locator(`[data-material="${code}"]`)).toContainText('已上传：');
  }
}

/** From the check page: on to the declarations, tick each, submit. */
async function declareAndSubmit(page: Page) {
  await page.getByRole('link', { name: '继续：声明与提交' }).click();
  await expect(page.getByRole('heading', { name: '声明与提交' })).toBeVisible();
  for (const box of await page.getByRole('checkbox').all()) await box.check();
  await page.getByRole('button', { name: '提交申报' }).click();
}

test('a company files a first-set equipment application step by step and submits it', async ({ browser, baseURL }) => {
  const { page, name } = await readyCompany(browser, baseURL!);
  await page.goto('/programs/SH-2026-FIRST-SET');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('超高清首台套装备专项');
  await expect(page.getByTestId('eligibility')).toContainText('贵单位符合本专项申报条件');
  await expect(page.getByTestId('worked-example')).toContainText('600');
  await noViolations(page);
  await page.getByRole('button', { name: '开始申报' }).click();

  await expect(page.getByRole('heading', { name: '项目信息' })).toBeVisible();
  // The checks as fields are left need the page's islands running.
  await hydrated(page);
  await noViolations(page);
  await page.getByLabel('装备名称').fill('8K 超高清转播摄像机');
  await page.getByLabel('型号', { exact: true }).fill(`E2E-${Date.now()}`);
  await page.getByLabel('出厂编号').fill('SN-E2E-001');
  await page.getByLabel('购买单位', { exact: true }).fill('上海广播电视台');
  // A credit code that is not one is named as the field is left.
  await page.getByLabel('购买单位统一社会信用代码').fill('91310000ABC');
  await page.getByLabel('首次投入使用日期').focus();
  await expect(page.locator('#f-buyer_credit_code-error')).not.toBeEmpty();
  await expect(page.getByLabel('购买单位统一社会信用代码')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('购买单位统一社会信用代码').fill(creditCode(900));
  await page.getByLabel('首次投入使用日期').fill('2026-08-01');
  await expect(page.locator('#f-buyer_credit_code-error')).toBeEmpty();
  await page.getByLabel('专利号').fill(`ZL-E2E-${Date.now()}`);
  await page.getByRole('button', { name: '保存并继续' }).click();

  // One thing per page: then what the amount is computed from.
  await expect(page.getByRole('heading', { name: '申请金额的计算依据' })).toBeVisible();
  await hydrated(page);
  await noViolations(page);
  await page.getByLabel('国际首台套').check();
  await page.locator('#f-c0_number').fill('HT-E2E-1');
  await page.locator('#f-c0_value').fill('一千万');
  await page.locator('#f-c0_signed_on').fill('2026-06-01');
  await page.getByRole('button', { name: '保存并继续' }).click();
  // The amount that does not parse is stopped with its message, the rest kept.
  await expect(page.getByTestId('error-summary')).toBeFocused();
  await expect(page.getByTestId('error-summary')).toContainText('金额');
  await expect(page.locator('#f-c0_value-error')).not.toBeEmpty();
  await expect(page.locator('#f-c0_value')).toHaveValue('一千万');
  await expect(page.locator('#f-c0_number')).toHaveValue('HT-E2E-1');
  await page.locator('#f-c0_value').fill('10,000,000');
  // The amount follows what is typed (30% of 10,000,000 yuan), and the draft saves by itself.
  await expect(page.getByTestId('live-amount')).toContainText('3,000,000.00');
  await page.getByLabel('国内首台套').check();
  await expect(page.getByTestId('live-amount')).toContainText('1,000,000.00');
  await page.getByLabel('国际首台套').check();
  await expect(page.getByTestId('autosave')).toHaveText('草稿已自动保存。');
  await page.getByRole('button', { name: '保存并继续' }).click();

  await expect(page.getByRole('heading', { name: '申报材料' })).toBeVisible();
  await noViolations(page);
  // Leave, come back, and find the draft where it was.
  await page.goto('/');
  await page.goto('/applications');
  await expect(page.getByTestId('applications')).toContainText('8K 超高清转播摄像机');
  await page.getByRole('link', { name: '8K 超高清转播摄像机' }).click();
  await expect(page.getByTestId('amount')).toContainText('3,000,000.00');
  await expect(page.getByTestId('problems')).toContainText('申报书');
  await page.getByRole('link', { name: '上传或更换材料' }).click();
  await uploadSlowly(page);
  await uploadAll(page);
  await page.getByRole('link', { name: '核对申报内容' }).click();
  await expect(page.getByRole('heading', { name: '提交前请核对申报内容' })).toBeVisible();
  await expect(page.getByTestId('problems')).toHaveCount(0);
  await noViolations(page);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '下载申报书（PDF）' }).click();
  const pdf = await download;
  expect(pdf.suggestedFilename()).toMatch(/^application-.*\.pdf$/);

  // The declarations: one left unticked is named beside its box, and nothing is submitted.
  await page.getByRole('link', { name: '继续：声明与提交' }).click();
  await expect(page.getByRole('heading', { name: '声明与提交' })).toBeVisible();
  await noViolations(page);
  await page.getByLabel(/所填信息及所附材料真实/).check();
  await page.getByLabel(/未就同一内容获得其他财政资金支持/).check();
  await page.getByRole('button', { name: '提交申报' }).click();
  await expect(page.getByTestId('error-summary')).toBeFocused();
  await expect(page.locator('[id="f-declarations.public_notice-error"]')).toHaveText('此项必填。');
  await expect(page.getByLabel(/所填信息及所附材料真实/)).toBeChecked();
  await page.getByLabel(/同意在评审结果公示期间公开/).check();
  await page.getByRole('button', { name: '提交申报' }).click();
  await expect(page.getByRole('status')).toContainText('已提交');
  await expect(page.getByTestId('declarations').locator('li')).toHaveCount(3);
  await expect(page.getByTestId('state')).toHaveText('推荐单位审核中');
  // Anyone checks the printed form by its code.
  const code = (await page.locator('dd code').first().textContent())!.trim();
  const anyone = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await anyone.goto(`/verify/${code}`);
  await expect(anyone.getByTestId('verification')).toContainText(name);
  await expect(anyone.getByTestId('fingerprints').locator('li')).toHaveCount(1);
});

test('a UHD content application, and a duplicate licence number refused with its message', async ({ browser, baseURL }) => {
  const licence = `（沪）剧审字（2026）第 E2E${Date.now() % 1_000_000} 号`;
  for (const [i, expectOk] of [[0, true], [1, false]] as const) {
    const { page } = await readyCompany(browser, baseURL!);
    await page.goto('/programs/SH-2026-UHD-CONTENT');
    await page.getByRole('button', { name: '开始申报' }).click();
    await expect(page.getByRole('heading', { name: '项目信息' })).toBeVisible();
    await hydrated(page);
    await page.getByLabel('作品名称').fill(`浦江 8K 纪录片 ${i}`);
    if (i === 0) {
      // Closing the page right after the draft saved itself loses nothing.
      await expect(page.getByTestId('autosave')).toHaveText('草稿已自动保存。');
      await page.reload();
      await expect(page.getByLabel('作品名称')).toHaveValue('浦江 8K 纪录片 0');
      await hydrated(page);
    }
    await page.getByLabel('类别').selectOption('documentary');
    await page.getByLabel('发行许可证号或上线备案号').fill(i === 0 ? licence : licence.replace(/\s/g, ''));
    await page.getByLabel('本单位是该作品的首次出品方。').check();
    await page.getByRole('button', { name: '保存并继续' }).click();
    await expect(page.getByRole('heading', { name: '申请金额的计算依据' })).toBeVisible();
    await hydrated(page);
    await page.getByLabel('8K', { exact: true }).check();
    await page.getByLabel('时长（分钟）').fill('90');
    await expect(page.getByTestId('live-amount')).toContainText('180,000.00');
    await page.getByLabel('含三维声').check();
    await expect(page.getByTestId('live-amount')).toContainText('216,000.00');
    await page.getByRole('button', { name: '保存并继续' }).click();
    await uploadAll(page);
    await page.getByRole('link', { name: '核对申报内容' }).click();
    // 90 minutes of 8K at 2,000 yuan, 3D audio +20%.
    await expect(page.getByTestId('amount')).toContainText('216,000.00');
    await declareAndSubmit(page);
    if (expectOk) {
      await expect(page.getByTestId('error-summary')).toHaveCount(0);
      await expect(page.getByTestId('state')).toHaveText('推荐单位审核中');
    } else {
      await expect(page.getByTestId('submit-errors')).toContainText('发行许可证号或上线备案号: 同一项目已在其他在审或已获资助的申报中');
      await expect(page.getByTestId('state')).toHaveText('草稿');
    }
  }
});

test('the filing steps work without JavaScript', async ({ browser, baseURL }) => {
  const { page } = await readyCompany(browser, baseURL!, false);
  await page.goto('/programs/SH-2026-FIRST-SET');
  await page.getByRole('button', { name: '开始申报' }).click();
  await page.getByLabel('装备名称').fill('无脚本申报的编码器');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByRole('status')).toContainText('已保存');
  await expect(page.getByLabel('装备名称')).toHaveValue('无脚本申报的编码器');
  await page.getByRole('button', { name: '保存并继续' }).click();
  await expect(page.getByRole('heading', { name: '申请金额的计算依据' })).toBeVisible();
  await page.getByLabel('国内首台套').check();
  await page.getByRole('button', { name: '保存并继续' }).click();
  await uploadAll(page);
  await page.getByRole('link', { name: '核对申报内容' }).click();
  await expect(page.getByTestId('problems')).toContainText('型号');
  await declareAndSubmit(page);
  await expect(page.getByTestId('error-summary')).toBeVisible();
  await expect(page.getByTestId('state')).toHaveText('草稿');
});
