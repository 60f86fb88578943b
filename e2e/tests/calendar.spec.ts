// The working-day calendar in the browser: a system admin previews a deadline, holds a new
// year, enters a holiday range (and is told when a make-up day is not on a weekend), sees the
// deadline move, and takes the holiday out again; every change is in the audit log.
import { test, expect } from '@playwright/test';
import { failOnConsoleErrors, hydrated } from './helpers';
import { signIn } from './totp';

failOnConsoleErrors();

test('an admin edits the working-day calendar and the preview shows the effect', async ({ page }) => {
  // A year no other run used (each database keeps its years between runs).
  const year = 2040 + (Date.now() % 60);
  await signIn(page, 'admin@e2e.test', process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Portal-2026');
  await page.goto('/admin/calendar?year=2026&from=2026-09-28&days=10');
  await hydrated(page);
  await expect(page).toHaveTitle(/^工作日历 - /);
  await expect(page.getByTestId('calendar-preview')).toHaveText('从 2026-09-28 (星期一) 起 10 个工作日是 2026-10-16 (星期五)。');
  await expect(page.getByTestId('calendar-days').locator('tr[data-day="2026-10-10"]')).toContainText('调休上班');

  // A new year, provisional until the State Council publishes it.
  await page.getByRole('spinbutton', { name: '年份' }).fill(String(year));
  await page.getByRole('button', { name: '添加年份' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: `${year} 年` })).toBeVisible();
  await expect(page.getByTestId('calendar-status')).toContainText('暂定');

  // A make-up day must be a weekend: the error is beside the field, the typed name kept.
  const monday = [...Array(7).keys()].map((i) => new Date(Date.UTC(year, 9, 1 + i))).find((d) => d.getUTCDay() === 1)!;
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const workday = page.getByRole('form', { name: '添加调休上班日' });
  await workday.getByLabel('日期').fill(iso(monday));
  await workday.getByLabel('中文名称').fill('国庆节调休上班');
  await workday.getByLabel('英文名称').fill('Make-up working day');
  await workday.getByRole('button', { name: '添加调休上班日' }).click();
  await expect(page.locator('#f-workday_date-error')).toHaveText('调休上班日应为周六或周日；工作日本来就要上班。');
  await expect(page.getByRole('form', { name: '添加调休上班日' }).getByLabel('中文名称')).toHaveValue('国庆节调休上班');

  // A holiday on the Monday: a deadline counted from the Friday before skips it.
  const friday = new Date(monday.getTime() - 3 * 86_400_000);
  await page.getByLabel('起算日').fill(iso(friday));
  await page.getByLabel('工作日数').fill('1');
  await page.getByRole('button', { name: '计算' }).click();
  await expect(page.getByTestId('calendar-preview')).toContainText(`是 ${iso(monday)} (星期一)`);
  await expect(page.getByTestId('calendar-preview-provisional')).toBeVisible();
  const holiday = page.getByRole('form', { name: '添加节假日' });
  await holiday.getByLabel('放假首日').fill(iso(monday));
  await holiday.getByLabel('放假末日').fill(iso(monday));
  await holiday.getByLabel('中文名称').fill('测试假日');
  await holiday.getByLabel('英文名称').fill('Test holiday');
  await holiday.getByRole('button', { name: '添加节假日' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();
  const tuesday = iso(new Date(monday.getTime() + 86_400_000));
  await expect(page.getByTestId('calendar-preview')).toContainText(`是 ${tuesday} (星期二)`);
  await expect(page.getByTestId('calendar-days')).toContainText('测试假日');

  // Taken out again, with the keyboard.
  await page.getByRole('button', { name: `删除 ${iso(monday)}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('calendar-preview')).toContainText(`是 ${iso(monday)} (星期一)`);
  await expect(page.getByTestId('calendar-days')).not.toContainText('测试假日');

  // The changes are in the audit log, about the year.
  await page.goto(`/admin/audit?event=calendar_edited&object_type=calendar_year&object_id=${year}`);
  await expect(page.getByTestId('audit').locator('tbody tr')).toHaveCount(3);
});
