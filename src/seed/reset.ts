import type { Db } from 'mongodb';
import { CATEGORIES, PRODUCTS } from '../modules/catalog/repository.js';
import { PAGES, SITE_CONTENT } from '../modules/cms/repository.js';
import { DOWNLOADS_BUCKET, MEDIA_BUCKET } from '../modules/media/repository.js';
import { SEEDS_COLLECTION } from './index.js';

/** What `npm run seed -- --reset` empties: the catalogue, content, media and the record of seeds. */
export const RESET_COLLECTIONS: readonly string[] = [
  CATEGORIES,
  PRODUCTS,
  PAGES,
  SITE_CONTENT,
  `${MEDIA_BUCKET}.files`,
  `${MEDIA_BUCKET}.chunks`,
  `${DOWNLOADS_BUCKET}.files`,
  `${DOWNLOADS_BUCKET}.chunks`,
  SEEDS_COLLECTION,
];

/**
 * Empties the demo content so the next seed starts fresh. Documents are deleted, collections kept,
 * so their indexes stay (a running shop keeps working). Accounts, orders, sessions and settings
 * are not touched. Returns the number of documents removed.
 */
export async function resetDemoData(db: Db): Promise<number> {
  let removed = 0;
  for (const name of RESET_COLLECTIONS) removed += (await db.collection(name).deleteMany({})).deletedCount;
  return removed;
}
