import { Page } from 'playwright-core';

/** A phone's viewport (an iPhone's 375 CSS pixels). */
export const PHONE = { width: 375, height: 812 };

/** How far the page scrolls sideways (0 or less: it fits the width). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      }
    ).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}
