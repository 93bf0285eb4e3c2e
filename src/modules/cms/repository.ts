import { MongoServerError, type Db, type ObjectId } from 'mongodb';
import type { IndexDeclaration } from '../../db/client.js';
import type { HomeDoc, MenuDoc, PageDoc } from './types.js';

export const PAGES = 'pages';
/** Singleton documents: the menu (`_id: "main"`) and the home page (`_id: "home"`). */
export const SITE_CONTENT = 'siteContent';

export const cmsIndexes: readonly IndexDeclaration[] = [
  { collection: PAGES, key: { slug: 1 }, options: { unique: true, name: 'slug_unique' } },
  { collection: PAGES, key: { oldSlugs: 1 } },
  { collection: PAGES, key: { status: 1, publishAt: 1 } },
];

export function createCmsRepository(db: Db) {
  const pages = db.collection<PageDoc>(PAGES);
  const content = db.collection<MenuDoc | HomeDoc>(SITE_CONTENT);
  return {
    async pageBySlug(slug: string): Promise<PageDoc | null> {
      return pages.findOne({ slug });
    },
    async pageByOldSlug(slug: string): Promise<PageDoc | null> {
      return pages.findOne({ oldSlugs: slug });
    },
    async pageById(id: ObjectId): Promise<PageDoc | null> {
      return pages.findOne({ _id: id });
    },
    async pagesByIds(ids: readonly ObjectId[]): Promise<Pick<PageDoc, '_id' | 'slug' | 'title' | 'status' | 'publishAt'>[]> {
      return pages.find({ _id: { $in: [...ids] } }).project<Pick<PageDoc, '_id' | 'slug' | 'title' | 'status' | 'publishAt'>>({ slug: 1, title: 1, status: 1, publishAt: 1 }).toArray();
    },
    /** Every page, drafts included (the back office list), newest change first. */
    async allPages(): Promise<Pick<PageDoc, '_id' | 'slug' | 'title' | 'status' | 'publishAt' | 'updatedAt'>[]> {
      return pages.find({}, { projection: { slug: 1, title: 1, status: 1, publishAt: 1, updatedAt: 1 } }).sort({ updatedAt: -1 }).limit(1000).toArray();
    },
    async insertPage(doc: PageDoc): Promise<void> {
      await pages.updateMany({ oldSlugs: doc.slug }, { $pull: { oldSlugs: doc.slug } });
      await pages.insertOne(doc);
    },
    async replacePage(doc: PageDoc, expectedVersion: number, oldSlug?: string): Promise<boolean> {
      if (oldSlug !== undefined) await pages.updateMany({ oldSlugs: doc.slug }, { $pull: { oldSlugs: doc.slug } });
      const oldSlugs = oldSlug && !doc.oldSlugs.includes(oldSlug) ? [...doc.oldSlugs, oldSlug] : doc.oldSlugs;
      const result = await pages.replaceOne({ _id: doc._id, version: expectedVersion }, { ...doc, oldSlugs, version: expectedVersion + 1 });
      return result.modifiedCount === 1;
    },
    /** Published pages visible at `now` (sitemap). */
    async visiblePages(now: Date): Promise<Pick<PageDoc, 'slug' | 'updatedAt'>[]> {
      return pages
        .find(
          { status: 'published', $or: [{ publishAt: { $exists: false } }, { publishAt: { $lte: now } }] },
          { projection: { _id: 0, slug: 1, updatedAt: 1 } },
        )
        .sort({ slug: 1 })
        .toArray();
    },
    async menu(): Promise<MenuDoc | null> {
      return (await content.findOne({ _id: 'main' })) as MenuDoc | null;
    },
    async home(): Promise<HomeDoc | null> {
      return (await content.findOne({ _id: 'home' })) as HomeDoc | null;
    },
    async saveSingleton(doc: MenuDoc | HomeDoc): Promise<void> {
      const { _id, version: _v, ...rest } = doc;
      await content.updateOne({ _id }, { $set: rest, $inc: { version: 1 } }, { upsert: true });
    },
    /** Saves only over `expectedVersion` (0: no document yet). False when someone saved meanwhile. */
    async saveSingletonIfVersion(doc: MenuDoc | HomeDoc, expectedVersion: number): Promise<boolean> {
      const { _id, version: _v, ...rest } = doc;
      if (expectedVersion === 0) {
        try {
          await content.insertOne({ ...doc, version: 1 });
          return true;
        } catch (error) {
          if (error instanceof MongoServerError && error.code === 11000) return false;
          throw error;
        }
      }
      const result = await content.updateOne({ _id, version: expectedVersion }, { $set: rest, $inc: { version: 1 } });
      return result.modifiedCount === 1;
    },
  };
}

export type CmsRepository = ReturnType<typeof createCmsRepository>;
