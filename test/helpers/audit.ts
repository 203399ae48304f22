import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where screenshots go (git-ignored): test-artifacts/screens/<screen>-<width>x<height>.png. */
export const SCREENS_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts', 'screens');

/** The two sizes every screen is checked at: a laptop and a phone. */
export const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/**
 * Audits the screen `page` shows with axe-core at each of SIZES and saves a screenshot of each.
 * `ready` waits for the screen's own content (re-checked after each resize). Returns the serious
 * and critical violations, one line each ("screen@390x844 color-contrast: …"), so a caller can
 * collect every screen's before failing.
 */
export async function auditScreen(page: Page, screen: string, ready: () => Promise<unknown>): Promise<string[]> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const found: string[] = [];
  const original = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await ready();
    await page.screenshot({ path: join(SCREENS_DIR, `${screen}-${size.width}x${size.height}.png`) });
    const result = await new AxeBuilder({ page }).analyze();
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
      found.push(`${screen}@${size.width}x${size.height} ${v.id} (${v.impact}): ${v.help} at ${where}`);
    }
  }
  if (original) await page.setViewportSize(original);
  return found;
}
