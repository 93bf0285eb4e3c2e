import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser build, injected into the page under test (tests only; the shop ships no script). */
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** CSS selectors of the offending elements (first few). */
  targets: string[];
}

/**
 * Runs axe-core in the page and returns the violations of at least `minImpact` ("serious" by
 * default: serious and critical). The page's context needs `bypassCSP: true` (the shop's CSP says
 * script-src 'none') and JavaScript enabled.
 */
export async function axeViolations(page: Page, minImpact: 'minor' | 'moderate' | 'serious' | 'critical' = 'serious'): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  // A string: the test code has no DOM types; it runs in the page.
  const raw: unknown = await page.evaluate('axe.run(document).then((r) => r.violations)');
  const order = ['minor', 'moderate', 'serious', 'critical'];
  return (raw as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[])
    .filter((v) => order.indexOf(v.impact ?? 'minor') >= order.indexOf(minImpact))
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}
