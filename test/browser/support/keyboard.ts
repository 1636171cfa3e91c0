import { Page } from 'playwright-core';

/**
 * Presses Tab until the focused element is a link whose href ends with `suffix` (at most
 * `presses` times): true when it got there, as a person using the keyboard alone would.
 */
export async function tabToLinkEndingWith(
  page: Page,
  suffix: string,
  presses = 60,
): Promise<boolean> {
  for (let pressed = 0; pressed < presses; pressed++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      (id) =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(name: string): string | null } | null };
          }
        ).document.activeElement
          ?.getAttribute('href')
          ?.endsWith(id) ?? false,
      suffix,
    );
    if (focused) return true;
  }
  return false;
}
