// The public home page: server-rendered in Chinese, hydrated, switchable to English.
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { sql } from './db';
import { failOnConsoleErrors, hydrated } from './helpers';

// Any error in the browser console (a hydration mismatch, a panic in the wasm) fails the test.
// The 404 page's document request is logged by Chromium as a failed resource; that is expected.
failOnConsoleErrors((e) => e.includes('404 (Not Found)'));


test('the home page shows the three bases in Chinese', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const bases = page.getByTestId('bases');
  await expect(bases.getByRole('heading', { name: '浦东金桥超高清视频产业基地' })).toBeVisible();
  await expect(bases.getByRole('heading', { name: '静安市北超高清视频产业基地' })).toBeVisible();
  await expect(bases.getByRole('heading', { name: '花果山超高清视频产业特色小镇' })).toBeVisible();
  await expect(page.getByTestId('programs').getByText('超高清首台套装备专项')).toBeVisible();
  await expect(page).toHaveTitle('超高清视频产业服务平台');
});

test('switching language shows the same page in English and persists', async ({ page }) => {
  await page.goto('/#programs');
  await hydrated(page);
  await page.getByTestId('language-switch').click();
  await expect(page).toHaveURL(/\/(#programs)?$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Jinqiao UHD Industry Base, Pudong' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Industry bases', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeAttached();
  await expect(page.getByText('浦东金桥超高清视频产业基地')).toHaveCount(0);

  // The choice is remembered by the server on the next visit.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Subsidy programs', exact: true })).toBeVisible();

  // And back to Chinese.
  await hydrated(page);
  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { name: '产业基地', exact: true })).toBeVisible();
});

test.describe('a visitor whose browser prefers English', () => {
  test.use({ locale: 'en-US' });
  test('starts in English', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: 'Huaguoshan UHD Video Industry Town' })).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the page reads and the language form still works', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: '浦东金桥超高清视频产业基地' })).toBeVisible();
    await page.getByTestId('language-switch').click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: 'Jinqiao UHD Industry Base, Pudong' })).toBeVisible();
  });
});

test('the home page reads the bases from the database', async ({ page }, testInfo) => {
  const renamed = '金桥超高清基地（浏览器测试）';
  sql(testInfo.project.name, `UPDATE bases SET name_zh = '${renamed}' WHERE code = 'jinqiao'`);
  try {
    // Changed around the portal (as another server process would): visitors' pages are kept
    // for at most 10 s, so the new name shows within that.
    await expect(async () => {
      await page.goto('/');
      await expect(page.getByRole('heading', { name: renamed })).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 25_000 });
  } finally {
    sql(testInfo.project.name, `UPDATE bases SET name_zh = '浦东金桥超高清视频产业基地' WHERE code = 'jinqiao'`);
  }
});

test('an unknown page shows the 404 page', async ({ page }) => {
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
  await page.getByRole('link', { name: '返回首页' }).click();
  await expect(page.getByRole('heading', { name: '产业基地', exact: true })).toBeVisible();
});

test.describe('on a 360 px phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  test('nothing scrolls sideways and the switch is reachable', async ({ page }) => {
    await page.goto('/');
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByTestId('language-switch')).toBeInViewport();
  });
});

test('keyboard: the skip link comes first and moves focus to the content', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到主要内容' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});

test('no serious accessibility violations (axe, WCAG 2 AA)', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
});
