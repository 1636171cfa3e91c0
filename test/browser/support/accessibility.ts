import { mkdirSync } from 'node:fs';
import path from 'node:path';

import axe from 'axe-core';
import { Page } from 'playwright-core';

/** Where the main pages' screenshots go (git-ignored). */
export const SCREENSHOTS_DIR = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'test-results',
  'screenshots',
);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * The page's WCAG 2.2 A and AA violations found by axe-core, as readable lines (none expected).
 * axe is evaluated through the DevTools protocol, which the page's strict CSP does not govern;
 * the page itself still runs under that CSP.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    // Runs in the page: its globals are the browser's.
    const page = globalThis as unknown as {
      document: unknown;
      axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> };
    };
    const result = await page.axe.run(page.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations;
  });
  return (violations as AxeViolation[]).map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  );
}

/**
 * Chromium cannot capture a page taller than this in one piece ("Unable to capture screenshot"):
 * the administrator's registry in a test database that every spec adds to grows past it.
 */
const SCREENSHOT_MAX_HEIGHT = 16_000;

/** Checks the page with axe, then saves its screenshot (its top, if very tall) under test-results/screenshots. */
export async function checkPage(page: Page, name: string): Promise<string[]> {
  const violations = await accessibilityViolations(page);
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const { width, height } = await page.evaluate(() => {
    const root = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; scrollHeight: number } };
      }
    ).document.documentElement;
    return { width: root.scrollWidth, height: root.scrollHeight };
  });
  await page.screenshot({
    path: path.join(SCREENSHOTS_DIR, `${name}.png`),
    fullPage: true,
    ...(height > SCREENSHOT_MAX_HEIGHT
      ? { clip: { x: 0, y: 0, width, height: SCREENSHOT_MAX_HEIGHT } }
      : {}),
  });
  return violations;
}
