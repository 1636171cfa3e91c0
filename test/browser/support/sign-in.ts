import { Page } from 'playwright-core';

/** Signs in through the development issuer's person picker, as a demo person would. */
export async function signInAs(page: Page, consoleUrl: string, person: RegExp): Promise<void> {
  await page.goto(`${consoleUrl}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: person }).click();
  await page.waitForURL(`${consoleUrl}/`);
}
