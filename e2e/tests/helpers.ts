// What every browser test shares: failing on console errors, waiting for hydration, valid
// credit codes, the accessibility check.
import { test, expect, Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Any error in the browser console (a hydration mismatch, a CSP violation, a panic in the
 * wasm) fails the test. `allow` filters expected messages. */
export function failOnConsoleErrors(allow: (message: string) => boolean = () => false) {
  let errors: string[] = [];
  test.beforeEach(({ page }) => {
    errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text().slice(0, 300));
    });
    page.on('pageerror', (e) => errors.push(e.message.slice(0, 300)));
  });
  test.afterEach(() => {
    expect(errors.filter((e) => !allow(e))).toEqual([]);
  });
}

export async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** A minimal PDF, as uploads need one. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Hydrated, and every frame's document loaded. Chromium's PDF viewer (a material previewed
 * in the page) takes the focus when its document arrives; fields are typed with `typeInto`. */
export async function settled(page: Page) {
  await hydrated(page);
  for (const frame of page.frames()) await frame.waitForLoadState('load');
}

/** Type `text` into a field and check the field holds it (typing again if the focus was
 * taken away mid-way), as a person who looks at what they typed would. */
export async function typeInto(field: Locator, text: string) {
  await expect(async () => {
    await field.fill(text);
    await expect(field).toHaveValue(text, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid Pudong credit code numbered `n`: GB 11714 organization check, then GB 32100. */
export function creditCode(n: number): string {
  const body = String(Math.floor(n) % 100_000_000).padStart(8, '0');
  const ow = [3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...body].reduce((acc, c, i) => acc + Number(c) * ow[i], 0);
  const r = 11 - (s % 11);
  const org = r === 10 ? 'X' : r === 11 ? '0' : String(r);
  const first17 = `91310115${body}${org}`;
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((acc, c, i) => acc + ALPHABET.indexOf(c) * w[i], 0);
  return first17 + ALPHABET[(31 - (sum % 31)) % 31];
}

/** A credit code no other test run uses. */
export const uniqueCode = () => creditCode((Date.now() % 100_000_000) + Math.floor(Math.random() * 1000));

/** No WCAG 2 A or AA violations that axe finds on the page as it is now. */
export async function noViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}
