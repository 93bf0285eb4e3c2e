import type { Db } from 'mongodb';
import type { Config } from '../config.js';
import type { Services } from '../services.js';

export interface SeedContext {
  db: Db;
  services: Services;
  config: Config;
  log: (message: string) => void;
}

/**
 * One step of demo/initial content. Must be idempotent (safe to run twice): insert only what is
 * missing, never overwrite what an admin changed.
 */
export interface Seeder {
  /** Stable name, recorded in the `seeds` collection once it ran. */
  name: string;
  run(context: SeedContext): Promise<void>;
}
