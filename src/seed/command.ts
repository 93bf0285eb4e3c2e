import { runSeeders, type SeedResult } from './index.js';
import { resetDemoData } from './reset.js';
import type { SeedContext } from './types.js';

export interface SeedCommandOptions {
  /** Run every seeder again (each is idempotent). */
  force: boolean;
  /** Empty the demo content first (src/seed/reset.ts), then seed everything again. */
  reset: boolean;
}

/** `npm run seed [-- --force] [-- --reset]` arguments. */
export function parseSeedArgs(argv: readonly string[]): SeedCommandOptions {
  return { force: argv.includes('--force'), reset: argv.includes('--reset') };
}

/** What src/cli/seed.ts does once it has a database: reset if asked, then run the seeders. */
export async function seedCommand(context: SeedContext, options: SeedCommandOptions): Promise<SeedResult & { removed: number }> {
  let removed = 0;
  if (options.reset) {
    removed = await resetDemoData(context.db);
    context.log(`reset: ${removed} documents removed`);
    // Caches of a running shop (other processes) must forget the old catalogue.
    await context.services.catalog.invalidate();
  }
  const result = await runSeeders(context, { force: options.force || options.reset });
  return { ...result, removed };
}
