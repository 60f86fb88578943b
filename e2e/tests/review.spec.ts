// The review of a first-set equipment application in the browser, each party signing in as
// themselves: the system admin invites the staff and the experts by mail; the company files
// (through the API, as the filing tests cover the filing pages); Jinqiao's park manager returns
// it for supplement with two flags; the company answers each beside its field and resubmits;
// the park recommends; the lead agency's reviewer passes it to the experts; the agency lead
// draws three from the queue; two declare no conflict and score (2 of 3 completes the stage); the reviewer
// proposes an amount; the lead agency's head and the co-review agency's head sign. The mails of
// each step arrive at the sink, the agency lead's dashboard shows the program and the experts'
// work, and the applicant's pages never name an expert or a score. Then the agency lead puts the
// award on public notice; a member of the public files an identified objection with evidence on
// the notice's page; the reviewer reads who objected and dismisses it; once the window has closed
// (moved into the past in the database: the window is five real working days) the portal
// approves the award, and the company downloads its approval notice (read back with pdftotext).
import { test, expect, Page, Browser } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from './db';
import { mailTo, linkIn, uniqueEmail } from './mail';
import { failOnConsoleErrors, creditCode, hydrated, noViolations, PDF, settled, typeInto } from './helpers';
import { enrol, inviteJinqiaoManager } from './totp';
import { adminSession, readyCompany } from './company';

failOnConsoleErrors();

const STAFF_PASSWORD = 'Lanterns&Ledgers7';

/** Accept an invitation from its mail in a browser of one's own, and enrol the authenticator. */
async function accept(browser: Browser, email: string, subject: string, name: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await page.goto(linkIn(await mailTo(email, subject), '/invitation'));
  await page.getByLabel('联系人姓名').fill(name);
  await page.getByLabel('密码', { exact: true }).fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: '接受邀请' }).click();
  await enrol(page, email);
  return page;
}

/** As the signed-in system admin, invite one member of staff on the invitation page. */
async function invite(admin: Page, email: string, role: string, agency?: string, expert?: { specialty: string; employer: string }) {
  await admin.goto('/admin/invitations');
  await hydrated(admin);
  await admin.getByLabel('电子邮箱').fill(email);
  await admin.getByLabel('角色').selectOption(role);
  if (agency) await admin.getByLabel('责任单位（审核员、负责人）').selectOption({ label: agency });
  if (expert) {
    await admin.getByLabel('专业领域（评审专家）').fill(expert.specialty);
    await admin.getByLabel('工作单位统一社会信用代码（评审专家）').fill(expert.employer);
  }
  await admin.getByRole('button', { name: '发送邀请' }).click();
  await expect(admin.getByText('邀请邮件已发送。')).toBeVisible();
}

/** Take the step `action` from the application's page: fill what `fill` fills, submit. */
async function step(page: Page, id: number, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<void> = async () => {}) {
  await page.goto(`/applications/${id}`);
  // Every frame and script of the page loaded: a click or a key before that may be lost.
  await settled(page);
  const form = page.locator(`form[data-action="${action}"]`);
  await fill(form);
  await form.locator('button[type=submit]').click();
  await expect(page).toHaveURL(new RegExp(`/applications/${id}\\?done=${action}$`));
  await expect(page.getByTestId('step-done')).toBeVisible();
}

test('a first-set application goes through every review stage, each party in their own browser', async ({ browser, baseURL }, testInfo) => {
  const database = testInfo.project.name;
  test.setTimeout(480_000);
  const run = `${Date.now() % 1_000_000}`;
  const specialty = `E2E 8K 摄像机 ${run}`;
  const admin = await adminSession(browser, baseURL!);

  // The staff, invited by mail; three experts of a specialty nobody else has.
  const pmEmail = uniqueEmail('pm');
  const reviewerEmail = uniqueEmail('reviewer');
  const leadEmail = uniqueEmail('lead');
  const financeEmail = uniqueEmail('finance');
  const expertEmails = [0, 1, 2].map((i) => uniqueEmail(`expert${i}`));
  const parkLink = await inviteJinqiaoManager(admin, baseURL!, pmEmail);
  await invite(admin, reviewerEmail, 'agency_reviewer', '上海市经济和信息化委员会');
  await invite(admin, leadEmail, 'agency_lead', '上海市经济和信息化委员会');
  await invite(admin, financeEmail, 'agency_lead', '上海市财政局');
  for (const [i, email] of expertEmails.entries()) {
    await invite(admin, email, 'expert', undefined, { specialty, employer: creditCode(880_000 + i + Number(run) % 1000) });
  }
  const park = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await park.goto(parkLink);
  await park.getByLabel('联系人姓名').fill('金桥园区审核');
  await park.getByLabel('密码', { exact: true }).fill(STAFF_PASSWORD);
  await park.getByRole('button', { name: '接受邀请' }).click();
  await enrol(park, pmEmail);
  const reviewer = await accept(browser, reviewerEmail, '责任单位审核员', '经信委审核员');
  const lead = await accept(browser, leadEmail, '责任单位负责人', '经信委负责人');
  const finance = await accept(browser, financeEmail, '责任单位负责人', '财政局负责人');
  const experts: Page[] = [];
  for (const [i, email] of expertEmails.entries()) experts.push(await accept(browser, email, '评审专家', `评审专家${run}号${i}`));

  // The company files through the API with its own session.
  const { page: company } = await readyCompany(browser, baseURL!);
  const origin = { origin: baseURL! };
  const draft = await company.request.post('/api/v1/applications', { headers: origin, data: { program_code: 'SH-2026-FIRST-SET' } });
  expect(draft.status()).toBe(201);
  const id = (await draft.json()).id as number;
  const project = {
    equipment_name: '8K 超高清转播摄像机', model: `REV-${run}`, serial_numbers: [`SN-REV-${run}`], first_set_level: 'international',
    buyer_name: '上海广播电视台', buyer_credit_code: creditCode(900), contracts: [{ number: `HT-${run}`, value_fen: 1_000_000_000, signed_on: '2026-06-01' }],
    first_use_on: '2026-08-01', patents: [`ZL2026${run}`],
  };
  expect((await company.request.put(`/api/v1/applications/${id}`, { headers: origin, data: { project } })).status()).toBe(200);
  const materials = (await (await company.request.get(`/api/v1/applications/${id}`)).json()).materials as { code: string; required: boolean }[];
  for (const m of materials.filter((m) => m.required)) {
    const up = await company.request.post(`/api/v1/applications/${id}/materials`, {
      headers: origin,
      multipart: { material_code: m.code, file: { name: `${m.code}.pdf`, mimeType: 'application/pdf', buffer: PDF } },
    });
    expect(up.status()).toBe(200);
  }
  const submitted = await company.request.post(`/api/v1/applications/${id}/submit`, { headers: origin, data: { declarations: ['truthful', 'no_double_funding', 'public_notice'] } });
  expect(submitted.status()).toBe(200);

  // The park manager: told by mail, finds it in the queue, reads the materials inline, and
  // returns it with two flags.
  await mailTo(pmEmail, '待办');
  await park.goto('/review?stage=recommending_review');
  await expect(park.getByTestId('queue')).toBeVisible();
  await park.goto('/notifications');
  await park.getByTestId('notifications').locator('li').filter({ hasText: '8K 超高清转播摄像机' }).first().getByRole('button', { name: '查看' }).click();
  await expect(park).toHaveURL(new RegExp(`/applications/${id}$`));
  // A material's PDF opens in the page when asked for.
  await park.getByTestId('previews').getByTestId('preview-open').first().click();
  await expect(park).toHaveURL(new RegExp(`/applications/${id}\\?preview=`));
  await expect(park.getByTestId('previews').locator('iframe')).toHaveCount(1);
  await expect(park.getByTestId('previews').locator('iframe')).toBeVisible();
  await noViolations(park);
  const material = materials.find((m) => m.required)!.code;
  await step(park, id, 'return_for_supplement', async (form) => {
    await form.getByLabel('型号', { exact: true }).check();
    await typeInto(form.locator('#f-comment\\.f\\.model'), '型号与检测报告不一致，请更正。');
    await form.locator(`input[name="flag.m.${material}"]`).check();
    await typeInto(form.locator(`#f-comment\\.m\\.${material}`), '请上传加盖公章的版本。');
    await typeInto(form.getByLabel('理由（申报单位可见）'), '请按意见补正。');
  });

  // The company: the mail, the header's count, each flag beside its field; answers, resubmits.
  const companyEmail = (await (await company.request.get('/api/v1/me')).json()).email as string;
  const returned = await mailTo(companyEmail, '请补正');
  expect(returned.text).toContain('型号与检测报告不一致');
  await company.goto(`/applications/${id}`);
  await expect(company.getByTestId('unread-count')).toBeVisible();
  await expect(company.getByTestId('supplement-callout')).toContainText('请上传加盖公章的版本。');
  await company.getByRole('link', { name: '逐项补正' }).click();
  await expect(company.getByRole('heading', { name: '补正申报材料' })).toBeVisible();
  await settled(company);
  await noViolations(company);
  await typeInto(company.getByLabel('型号', { exact: true }), `REV-${run}-B`);
  const replies = company.getByLabel('说明（可选）');
  await typeInto(replies.nth(1), '已重新盖章，原件扫描件与此前一致。');
  await company.getByRole('button', { name: '保存答复' }).click();
  await expect(company.getByText('答复已保存。')).toBeVisible();
  await company.getByRole('button', { name: '重新提交' }).click();
  await expect(company).toHaveURL(new RegExp(`/applications/${id}\\?done=resubmit$`));

  // The park is told the supplement came back, and recommends.
  await mailTo(pmEmail, '补正已答复');
  await step(park, id, 'recommend', async (form) => typeInto(form.getByLabel('内部意见（仅工作人员可见，可不填）'), '基地重点企业，建议支持。'));

  // The lead agency's reviewer passes it on to the experts.
  await mailTo(reviewerEmail, '待办');
  // The reviewer opens it from the notification, takes it, and finds it in their own queue.
  await reviewer.goto('/notifications');
  await reviewer.getByTestId('notifications').locator('li').filter({ hasText: '8K 超高清转播摄像机' }).first().getByRole('button', { name: '查看' }).click();
  await expect(reviewer).toHaveURL(new RegExp(`/applications/${id}$`));
  await settled(reviewer);
  await reviewer.getByRole('button', { name: '由我办理' }).click();
  await expect(reviewer.getByTestId('holder')).toHaveText('经信委审核员');
  await reviewer.goto('/review?flag=mine');
  await expect(reviewer.getByTestId('queue').locator(`tr[data-id="${id}"]`)).toContainText('个工作日');
  await noViolations(reviewer);
  await step(reviewer, id, 'pass');

  // The agency lead draws three experts of the specialty from the queue (a batch of one).
  await lead.goto('/review?stage=expert_review');
  await hydrated(lead);
  await lead.locator(`input[name="app.${id}"]`).check();
  const batch = lead.getByTestId('batch-draw-form');
  await batch.getByLabel('专业领域').selectOption(specialty);
  await batch.getByLabel('人数（留空按项目规定补足）').fill('3');
  await noViolations(lead);
  await batch.getByRole('button', { name: '为所选申请抽取' }).click();
  await expect(lead.getByTestId('batch-drawn')).toBeVisible();
  await lead.goto(`/applications/${id}`);
  await expect(lead.getByTestId('panel').locator('tbody tr')).toHaveCount(3);

  // Two experts declare no conflict and score; the third is not needed (2 of 3).
  for (const [i, expert] of experts.slice(0, 2).entries()) {
    await mailTo(expertEmails[i], '专家评审邀请');
    await expert.goto('/expert');
    await expert.getByTestId('assignments').getByRole('link').first().click();
    await expect(expert.getByTestId('declaration-form')).toBeVisible();
    await hydrated(expert);
    await expert.getByLabel('本人与该申报单位不存在利益冲突').check();
    await expert.getByRole('button', { name: '提交声明' }).click();
    await expect(expert.getByText('已确认无利益冲突。')).toBeVisible();
    await settled(expert);
    if (i === 0) await noViolations(expert);
    const scores = expert.getByTestId('score-form');
    const inputs = scores.locator('input[type=number]');
    const comments = scores.locator('textarea');
    for (let k = 0; k < (await inputs.count()); k++) {
      await typeInto(inputs.nth(k), '20');
      await typeInto(comments.nth(k), `专家意见 ${k}`);
    }
    await expert.getByRole('button', { name: '提交评分（提交后不可修改）' }).click();
    await expect(expert.getByText('评分表已提交。').first()).toBeVisible();
  }
  await lead.goto(`/applications/${id}`);
  await expect(lead.getByTestId('review-state')).toHaveText('部门审定');
  await expect(lead.getByTestId('panel-result')).toBeVisible();
  await expect(lead.getByTestId('panel')).toContainText(`评审专家${run}号`);

  // The decision: the reviewer proposes 2,500,000 yuan; both heads sign.
  await step(reviewer, id, 'propose_approval', async (form) => typeInto(form.getByLabel('拟支持金额（元）'), '2500000'));
  await mailTo(leadEmail, '待会签');
  await step(lead, id, 'countersign');
  await mailTo(financeEmail, '待会签');
  await step(finance, id, 'countersign', async (form) => typeInto(form.getByLabel('内部意见（仅工作人员可见，可不填）'), '同意。'));
  await expect(finance.getByTestId('proposal')).toContainText('拟同意');

  // The agency lead's dashboard: the program, its budget, the experts' work.
  await lead.goto('/review/dashboard');
  await expect(lead.getByRole('heading', { name: '主管部门看板' })).toBeVisible();
  await expect(lead.getByTestId('dash-program-SH-2026-FIRST-SET')).toBeVisible();
  await expect(lead.getByTestId('expert-load')).toContainText(`评审专家${run}号0`);
  await noViolations(lead);

  // What the applicant sees: its own labels, never an expert's name or a score.
  await company.goto(`/applications/${id}`);
  const seen = (await company.locator('main').textContent()) ?? '';
  expect(seen).not.toContain(`评审专家${run}号`);
  expect(seen).not.toContain('专家意见');
  await expect(company.getByTestId('panel')).toHaveCount(0);
  await company.goto('/notifications');
  await expect(company.getByTestId('notifications')).toContainText('请补正申报材料');
  await noViolations(company);
  expect((await company.locator('main').textContent()) ?? '').not.toContain(`评审专家${run}号`);
  await company.getByRole('button', { name: '全部标为已读' }).click();
  await expect(company.getByText('已全部标为已读。')).toBeVisible();
  await expect(company.getByTestId('unread-count')).toHaveCount(0);

  // Public notice: the agency lead publishes the decided approval.
  await lead.goto('/review/notices');
  await hydrated(lead);
  const publish = lead.getByTestId('publish-SH-2026-FIRST-SET');
  await expect(publish.locator(`input[value="${id}"]`)).toBeChecked();
  // Only this run's award: demo data may have decided approvals of its own.
  for (const box of await publish.locator('input[name="application_ids"]').all()) {
    if ((await box.getAttribute('value')) !== String(id)) await box.uncheck();
  }
  await noViolations(lead);
  await publish.getByRole('button', { name: '发布公示' }).click();
  await expect(lead).toHaveURL(/\/notices\/\d+\?published=1$/);
  const noticeUrl = new URL(lead.url());
  const noticeId = Number(noticeUrl.pathname.split('/').pop());
  await expect(lead.getByTestId('notice-awards')).toContainText('8K 超高清转播摄像机');

  // A member of the public, not signed in, objects on the notice's page; an anonymous try is
  // refused with each missing field named.
  const publicPage = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await publicPage.goto('/notices');
  await publicPage.getByTestId('notices').getByRole('link').first().click();
  await expect(publicPage).toHaveURL(new RegExp(`/notices/${noticeId}$`));
  await hydrated(publicPage);
  await noViolations(publicPage);
  await publicPage.getByLabel('异议涉及的项目').selectOption(String(id));
  await typeInto(publicPage.getByLabel('异议事实和理由'), '首用单位的验收报告日期早于合同签订日期。');
  await publicPage.getByRole('button', { name: '提交异议' }).click();
  await expect(publicPage.getByTestId('error-summary')).toBeFocused();
  await expect(publicPage.locator('#f-name-error')).not.toBeEmpty();
  await expect(publicPage.getByLabel('异议事实和理由')).toHaveValue('首用单位的验收报告日期早于合同签订日期。');
  const objectorEmail = uniqueEmail('objector');
  await typeInto(publicPage.getByLabel('姓名', { exact: true }), '赵公民');
  await typeInto(publicPage.getByLabel('电子邮箱'), objectorEmail);
  await typeInto(publicPage.getByLabel('身份证号码'), '11010519491231002X');
  await publicPage.getByLabel('证据材料').setInputFiles({ name: 'evidence.pdf', mimeType: 'application/pdf', buffer: PDF });
  await publicPage.getByRole('button', { name: '提交异议' }).click();
  await expect(publicPage.getByTestId('objection-filed')).toBeVisible();
  await expect(publicPage.getByTestId('objections')).toHaveCount(0);
  expect((await publicPage.locator('main').textContent()) ?? '').not.toContain('赵公民');

  // The lead agency hears of it; its reviewer reads who objected and dismisses it.
  await mailTo(reviewerEmail, '收到异议');
  await reviewer.goto(`/notices/${noticeId}`);
  const objection = reviewer.getByTestId('objection').first();
  await expect(objection).toContainText('赵公民');
  await expect(objection).toContainText('11010519491231002X');
  await noViolations(reviewer);
  await typeInto(objection.getByLabel('调查结论'), '验收报告日期经核对无误，异议不成立。');
  await objection.getByRole('button', { name: '异议不成立' }).click();
  await expect(reviewer.getByTestId('objection').first().getByTestId('objection-status')).toHaveText('异议不成立');
  const outcome = await mailTo(objectorEmail, '经核实不成立');
  expect(outcome.text).toContain('验收报告日期经核对无误');

  // The window closes (the notice moved five working days into the past): the portal approves.
  const past = database === 'sqlite'
    ? ["date('now', '-9 days')", "date('now', '-2 days')", "datetime('now', '-1 minutes')"]
    : ["CURRENT_DATE - 9", "CURRENT_DATE - 2", "now() AT TIME ZONE 'UTC' - interval '1 minute'"];
  sql(database, `UPDATE notices SET published_on = ${past[0]}, closes_on = ${past[1]} WHERE id = ${noticeId}`);
  sql(database, `UPDATE jobs SET run_at = ${past[2]} WHERE kind = 'notice_close' AND payload LIKE '%"notice_id":${noticeId}}%'`);
  await expect(async () => {
    await company.goto(`/applications/${id}`);
    await expect(company.getByTestId('approval-notice')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await mailTo(companyEmail, '已立项');
  const download = company.waitForEvent('download');
  await company.getByTestId('approval-notice').click();
  const file = path.join(os.tmpdir(), `approval-${run}.pdf`);
  await (await download).saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  expect(text).toContain('立项通知');
  expect(text).toContain('贰佰伍拾万元整');
  const code = (await (await company.request.get(`/api/v1/applications/${id}`)).json()).verification_code as string;
  expect(text).toContain(code);
  await company.goto(`/verify/${code}`);
  await expect(company.getByTestId('approved-amount')).toBeVisible();
  writeFileSync(file, '');

  // Money: the finance agency pays the first tranche (60%); the balance waits for the
  // acceptance, which the lead agency's reviewer records; then the balance, and closing.
  const pay = async (amount: string, voucher: string) => {
    await finance.goto(`/applications/${id}`);
    await settled(finance);
    const form = finance.getByTestId('disburse-form');
    await typeInto(form.getByLabel('金额（元）'), amount);
    await form.getByLabel('拨付日期').fill(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
    await typeInto(form.getByLabel('凭证号'), voucher);
    await form.getByRole('button', { name: '拨付资金' }).click();
  };
  await pay('1500000.01', `PZ-${run}-1`);
  await expect(finance.getByTestId('error-summary')).toBeFocused();
  await expect(finance.getByTestId('error-summary')).toContainText('验收');
  await pay('1500000', `PZ-${run}-1`);
  await expect(finance).toHaveURL(new RegExp(`/applications/${id}\\?paid=1`));
  await expect(finance.getByTestId('award-paid')).toContainText('150');
  await expect(finance.getByTestId('award-payable')).toContainText('0');
  await noViolations(finance);
  await reviewer.goto(`/applications/${id}`);
  await settled(reviewer);
  const acceptance = reviewer.getByTestId('accept-form');
  await acceptance.getByLabel('验收日期').fill(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
  await typeInto(acceptance.getByLabel('验收结论'), '设备运行稳定，指标达到申报要求，验收通过。');
  await acceptance.getByRole('button', { name: '记录验收' }).click();
  await expect(reviewer.getByTestId('award-acceptance')).toContainText('验收日期');
  await pay('1000000', `PZ-${run}-2`);
  await expect(finance.getByTestId('disbursements').locator('li')).toHaveCount(2);
  await step(reviewer, id, 'close');
  await expect(reviewer.getByTestId('review-state')).toHaveText('已结项');
  await company.goto(`/applications/${id}`);
  await expect(company.getByTestId('award-paid')).toContainText('250');
  await noViolations(company);

  // A second company's first-set application, taken through the review by the API to an
  // approval, is revoked for fraud on its page, with the evidence kept beside it (the company is
  // shown the reason, not the evidence); the company then sees why it cannot apply.
  const { page: other } = await readyCompany(browser, baseURL!);
  const second = await other.request.post('/api/v1/applications', { headers: origin, data: { program_code: 'SH-2026-FIRST-SET' } });
  const id2 = (await second.json()).id as number;
  const project2 = { ...project, model: `REV-${run}-2`, serial_numbers: [`SN-REV-${run}-2`], contracts: [{ number: `HT-${run}-2`, value_fen: 1_000_000_000, signed_on: '2026-06-01' }], patents: [`ZL2026${run}2`] };
  expect((await other.request.put(`/api/v1/applications/${id2}`, { headers: origin, data: { project: project2 } })).status()).toBe(200);
  for (const m of materials.filter((m) => m.required)) {
    const up = await other.request.post(`/api/v1/applications/${id2}/materials`, { headers: origin, multipart: { material_code: m.code, file: { name: `${m.code}.pdf`, mimeType: 'application/pdf', buffer: PDF } } });
    expect(up.status()).toBe(200);
  }
  expect((await other.request.post(`/api/v1/applications/${id2}/submit`, { headers: origin, data: { declarations: ['truthful', 'no_double_funding', 'public_notice'] } })).status()).toBe(200);
  const api = async (who: Page, action: string, state: string, extra: object = {}) => {
    const res = await who.request.post(`/api/v1/applications/${id2}/actions`, { headers: origin, data: { action, expected_state: state, ...extra } });
    expect(res.status(), `${action}: ${await res.text()}`).toBe(200);
  };
  await api(park, 'recommend', 'recommending_review');
  await api(reviewer, 'pass', 'formal_review');
  expect((await lead.request.post(`/api/v1/applications/${id2}/expert-draw`, { headers: origin, data: { specialty, count: 3 } })).status()).toBe(200);
  for (const expert of experts) {
    const list = await (await expert.request.get('/api/v1/expert-assignments')).json();
    const mine = (list as { id: number; application_id: number; open: boolean }[]).find((a) => a.application_id === id2 && a.open);
    if (!mine) continue;
    const state = (await (await lead.request.get(`/api/v1/applications/${id2}/actions`)).json()).state;
    if (state !== 'expert_review') break;
    expect((await expert.request.post(`/api/v1/expert-assignments/${mine.id}/declaration`, { headers: origin, data: { conflict: false } })).status()).toBe(200);
    const rubric = [['innovation', 20], ['market', 20], ['capability', 20]].map(([c, sc]) => ({ code: c, score: sc, comment: '专家意见' }));
    expect((await expert.request.put(`/api/v1/expert-assignments/${mine.id}/scores`, { headers: origin, data: { scores: rubric } })).status()).toBe(200);
  }
  await api(reviewer, 'propose_approval', 'agency_decision', { amount_fen: 100_000_000 });
  await api(lead, 'countersign', 'agency_decision');
  await api(finance, 'countersign', 'agency_decision');
  const notice2 = await lead.request.post('/api/v1/programs/SH-2026-FIRST-SET/notices', { headers: origin, data: { application_ids: [id2] } });
  expect(notice2.status()).toBe(201);
  const notice2Id = (await notice2.json()).id as number;
  sql(database, `UPDATE notices SET published_on = ${past[0]}, closes_on = ${past[1]} WHERE id = ${notice2Id}`);
  sql(database, `UPDATE jobs SET run_at = ${past[2]} WHERE kind = 'notice_close' AND payload LIKE '%"notice_id":${notice2Id}}%'`);
  await expect(async () => {
    const state = (await (await lead.request.get(`/api/v1/applications/${id2}/actions`)).json()).state;
    expect(state).toBe('approved');
  }).toPass({ timeout: 20_000 });
  await step(lead, id2, 'revoke', async (form) => typeInto(form.getByLabel('理由（申报单位可见）'), '经查，销售合同系伪造。'));
  await expect(lead.getByTestId('award-revoked')).toBeVisible();
  await expect(lead.getByTestId('award-ban')).toBeVisible();
  const banEnds = (await lead.getByTestId('award-ban').textContent())!.trim();
  // The agency lead keeps the evidence with the award; the company is shown the reason only.
  const evidence = lead.getByTestId('award-files-form');
  await evidence.getByLabel('文件类别').selectOption('revocation_evidence');
  await evidence.locator('input[type=file]').setInputFiles({ name: '伪造合同.pdf', mimeType: 'application/pdf', buffer: PDF });
  await evidence.getByRole('button', { name: '添加文件' }).click();
  await expect(lead.getByTestId('award-files')).toContainText('伪造合同.pdf');
  await other.goto(`/applications/${id2}`);
  await expect(other.getByTestId('award-ban')).toHaveText(banEnds);
  await expect(other.getByTestId('award-files')).toHaveCount(0);
  await expect(other.getByTestId('award').getByText('经查，销售合同系伪造。')).toBeVisible();
  await other.goto('/programs/SH-2026-FIRST-SET');
  await expect(other.getByTestId('eligibility')).toContainText(banEnds);
  await noViolations(other);
});
