import type { Db } from 'mongodb';
import { demoShopSeeder } from './demo/seeder.js';
import { checkoutSettingsSeeder } from './seeders/checkout-settings.js';
import { siteSettingsSeeder } from './seeders/site-settings.js';
import type { SeedContext, Seeder } from './types.js';

/**
 * Every seeder, in the order they run (later ones may rely on earlier ones: products after categories).
 * A new module appends its seeder here.
 */
export const seeders: readonly Seeder[] = [siteSettingsSeeder, checkoutSettingsSeeder, demoShopSeeder];

export const SEEDS_COLLECTION = 'seeds';

interface SeedRecord {
  _id: string;
  ranAt: Date;
}

export interface SeedOptions {
  /** Run seeders that already ran (each is idempotent). Default: only the new ones. */
  force?: boolean;
  seeders?: readonly Seeder[];
}

export interface SeedResult {
  ran: string[];
  skipped: string[];
}

/**
 * Runs the seeders that have not run yet on this database, in order, recording each one. So the
 * demo content appears on the first start, and deleting it later does not bring it back on restart.
 */
export async function runSeeders(context: SeedContext, options: SeedOptions = {}): Promise<SeedResult> {
  const list = options.seeders ?? seeders;
  const records = seedRecords(context.db);
  const done = new Set((await records.find({}, { projection: { _id: 1 } }).toArray()).map((r) => r._id));
  const result: SeedResult = { ran: [], skipped: [] };
  for (const seeder of list) {
    if (done.has(seeder.name) && !options.force) {
      result.skipped.push(seeder.name);
      continue;
    }
    await seeder.run({ ...context, log: (m) => context.log(`[${seeder.name}] ${m}`) });
    await records.updateOne({ _id: seeder.name }, { $set: { ranAt: new Date() } }, { upsert: true });
    result.ran.push(seeder.name);
  }
  return result;
}

function seedRecords(db: Db) {
  return db.collection<SeedRecord>(SEEDS_COLLECTION);
}
