// Reading mail the portal sent, from the maildev sink's REST API.
import { expect } from '@playwright/test';

const API = process.env.MAILDEV_API ?? 'http://127.0.0.1:1080';

type Mail = { subject: string; text: string; to: { address: string }[] };

/** The newest mail to `to` whose subject contains `subject`, waiting up to 15 s. */
export async function mailTo(to: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const res = await fetch(`${API}/email`);
        const all = (await res.json()) as Mail[];
        found = all.reverse().find((m) => m.to.some((t) => t.address === to) && m.subject.includes(subject));
        return found !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

/** The first link in a mail's text that contains `path`. */
export function linkIn(mail: Mail, path: string): string {
  const link = mail.text.split(/\s+/).find((w) => w.startsWith('http') && w.includes(path));
  expect(link, `a link with ${path} in: ${mail.text}`).toBeTruthy();
  return link!;
}

/** A fresh address per run and test. */
export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}
