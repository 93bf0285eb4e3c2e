import { MongoServerError, ObjectId } from 'mongodb';
import { ConflictError, ValidationError } from '../../lib/errors.js';
import { isSafeLinkTarget, renderMarkdown } from '../../lib/markdown.js';
import type { VersionedCache } from '../catalog/cache.js';
import type { CategoryNode } from '../catalog/category-tree.js';
import type { ProductCard } from '../catalog/repository.js';
import type { CatalogService, SlugLookup } from '../catalog/service.js';
import { isSlug, mapTranslated } from '../catalog/translated.js';
import type { Translated } from '../catalog/types.js';
import { homeWithoutCategory, menuWithoutCategory, type CategoryReferenceChanges } from './category-refs.js';
import type { CmsRepository } from './repository.js';
import type { HomeDoc, HomeSection, MenuDoc, MenuLink, PageDoc } from './types.js';

export type PageInput = Pick<PageDoc, 'slug' | 'title' | 'body'> & Partial<Pick<PageDoc, 'seoTitle' | 'seoDescription' | 'status' | 'publishAt'>>;

export interface ResolvedLink {
  href: string;
  label: Translated;
}

/** A home section ready to render: references replaced by what they point to. */
export type ResolvedSection =
  | Extract<HomeSection, { kind: 'richText' }>
  | (Extract<HomeSection, { kind: 'hero' }> & { image?: ImageInfo })
  | { kind: 'featuredCategories'; heading: Translated; categories: { node: CategoryNode; image?: ImageInfo }[] }
  | { kind: 'featuredProducts'; heading: Translated; products: ProductCard[] };

/** Section input: rich text gets its HTML rendered here. */
export type HomeSectionInput = Exclude<HomeSection, { kind: 'richText' }> | { kind: 'richText'; markdown: Translated };

/** Width, height and alt of stored images (the media service); optional so content works without it. */
export interface ImageInfo {
  id: ObjectId;
  width: number;
  height: number;
  alt: string;
}
export interface ImageInfoSource {
  imageInfo(ids: readonly ObjectId[]): Promise<Map<string, ImageInfo>>;
}

export interface CmsServiceDeps {
  repository: CmsRepository;
  media?: ImageInfoSource;
  catalog: CatalogService;
  cache: VersionedCache;
  clock: () => Date;
}

function isVisible(page: Pick<PageDoc, 'status' | 'publishAt'>, now: Date): boolean {
  return page.status === 'published' && (page.publishAt === undefined || page.publishAt <= now);
}

async function uniqueSlug<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 11000) throw new ConflictError('Slug already used', { messageKey: 'catalog.error.slugTaken' });
    throw error;
  }
}

function checkMenu(links: readonly MenuLink[]): void {
  for (const l of links) {
    if (l.kind === 'url' && !isSafeLinkTarget(l.url)) throw new ValidationError([{ field: 'url', messageKey: 'catalog.error.url' }]);
  }
}

/** Section input → stored sections: rich text gets its HTML, hero links must be safe. */
function homeSections(sections: readonly HomeSectionInput[]): HomeSection[] {
  const stored: HomeSection[] = sections.map((s) =>
    s.kind === 'richText' ? { kind: 'richText', markdown: s.markdown, html: mapTranslated(s.markdown, renderMarkdown) } : s,
  );
  for (const s of stored) {
    if (s.kind === 'hero' && s.link && !isSafeLinkTarget(s.link.url)) throw new ValidationError([{ field: 'link', messageKey: 'catalog.error.url' }]);
  }
  return stored;
}

/** Times a cleanup re-reads a singleton that an editor saved between its read and its write. */
const REWRITE_ATTEMPTS = 5;

export function createCmsService({ repository, catalog, media, cache, clock }: CmsServiceDeps) {
  /** Rewrites the menu or home document over the version it read; null when `change` finds nothing to do. */
  async function rewrite<D extends MenuDoc | HomeDoc, C>(read: () => Promise<D | null>, change: (doc: D) => { next: D; changed: C } | null): Promise<{ before: D; changed: C } | null> {
    for (let attempt = 0; attempt < REWRITE_ATTEMPTS; attempt++) {
      const doc = await read();
      const result = doc && change(doc);
      if (!doc || !result) return null;
      if (await repository.saveSingletonIfVersion({ ...result.next, updatedAt: clock() }, doc.version)) return { before: doc, changed: result.changed };
    }
    throw new ConflictError('Site content changed meanwhile');
  }

  const rewriteMenu = (categoryId: ObjectId) =>
    rewrite(() => repository.menu(), (doc) => {
      const { links, removed } = menuWithoutCategory(doc.links, categoryId);
      return removed > 0 ? { next: { ...doc, links }, changed: { after: links, removed } } : null;
    });
  const rewriteHome = (categoryId: ObjectId) =>
    rewrite(() => repository.home(), (doc) => {
      const { sections, updated } = homeWithoutCategory(doc.sections, categoryId);
      return updated > 0 ? { next: { ...doc, sections }, changed: { after: sections, updated } } : null;
    });

  return {
    async createPage(input: PageInput): Promise<PageDoc> {
      if (!isSlug(input.slug)) throw new ValidationError([{ field: 'slug', messageKey: 'catalog.error.slug' }]);
      const now = clock();
      const doc: PageDoc = {
        _id: new ObjectId(), slug: input.slug, oldSlugs: [], title: input.title, body: input.body,
        bodyHtml: mapTranslated(input.body, renderMarkdown), status: input.status ?? 'published',
        ...(input.seoTitle ? { seoTitle: input.seoTitle } : {}), ...(input.seoDescription ? { seoDescription: input.seoDescription } : {}),
        ...(input.publishAt ? { publishAt: input.publishAt } : {}), createdAt: now, updatedAt: now, version: 1,
      };
      await uniqueSlug(() => repository.insertPage(doc));
      await cache.invalidate();
      return doc;
    },

    /** `expectedVersion` (an edit form's): a save over a newer version is a ConflictError. */
    async updatePage(id: ObjectId, patch: Partial<PageInput>, expectedVersion?: number): Promise<PageDoc> {
      const current = await repository.pageById(id);
      if (!current) throw new ValidationError([{ field: 'id', messageKey: 'catalog.error.page' }]);
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw new ConflictError('Page changed meanwhile');
      if (patch.slug !== undefined && !isSlug(patch.slug)) throw new ValidationError([{ field: 'slug', messageKey: 'catalog.error.slug' }]);
      const next: PageDoc = { ...current, ...patch, updatedAt: clock() };
      next.bodyHtml = mapTranslated(next.body, renderMarkdown);
      const oldSlug = next.slug !== current.slug ? current.slug : undefined;
      if (!(await uniqueSlug(() => repository.replacePage(next, current.version, oldSlug)))) throw new ConflictError('Page changed meanwhile');
      await cache.invalidate();
      return { ...next, version: current.version + 1 };
    },

    /** The back office: every page, drafts included. */
    allPages: () => repository.allPages(),
    pageById: (id: ObjectId) => repository.pageById(id),

    /** Not cached: scheduled pages appear at their publish time. */
    async findPage(slug: string): Promise<SlugLookup<PageDoc>> {
      const now = clock();
      const page = await repository.pageBySlug(slug);
      if (page) return isVisible(page, now) ? { kind: 'found', value: page } : { kind: 'missing' };
      const moved = await repository.pageByOldSlug(slug);
      return moved && isVisible(moved, now) ? { kind: 'moved', slug: moved.slug } : { kind: 'missing' };
    },

    async sitemapPages() {
      return repository.visiblePages(clock());
    },

    async setMenu(links: MenuLink[]): Promise<void> {
      checkMenu(links);
      await repository.saveSingleton({ _id: 'main', links, updatedAt: clock(), version: 0 });
      await cache.invalidate();
    },

    /** The menu with its targets resolved; links to hidden categories or pages are left out. */
    async menu(): Promise<ResolvedLink[]> {
      return cache.get('menu', async () => {
        const doc = await repository.menu();
        if (!doc) return [];
        const tree = await catalog.categoryTree();
        const pageIds = doc.links.flatMap((l) => (l.kind === 'page' ? [l.pageId] : []));
        const pages = new Map((await repository.pagesByIds(pageIds)).map((p) => [p._id.toHexString(), p]));
        const now = clock();
        return doc.links.flatMap((l): ResolvedLink[] => {
          if (l.kind === 'url') return [{ href: l.url, label: l.label }];
          if (l.kind === 'category') {
            const node = tree.byId(l.categoryId);
            return node ? [{ href: `/c/${node.category.slug}`, label: l.label ?? node.category.name }] : [];
          }
          const page = pages.get(l.pageId.toHexString());
          return page && isVisible(page, now) ? [{ href: `/pages/${page.slug}`, label: l.label ?? page.title }] : [];
        });
      });
    },

    async setHome(sections: HomeSectionInput[]): Promise<void> {
      await repository.saveSingleton({ _id: 'home', sections: homeSections(sections), updatedAt: clock(), version: 0 });
      await cache.invalidate();
    },

    /** The stored menu and home documents as staff edit them (version 0: none yet). */
    menuSource: async (): Promise<MenuDoc> => (await repository.menu()) ?? { _id: 'main', links: [], updatedAt: clock(), version: 0 },
    homeSource: async (): Promise<HomeDoc> => (await repository.home()) ?? { _id: 'home', sections: [], updatedAt: clock(), version: 0 },

    /** The back office's save of the menu: only over the version the form read, else a ConflictError. */
    async saveMenu(links: MenuLink[], expectedVersion: number): Promise<void> {
      checkMenu(links);
      if (!(await repository.saveSingletonIfVersion({ _id: 'main', links, updatedAt: clock(), version: expectedVersion }, expectedVersion))) throw new ConflictError('Menu changed meanwhile');
      await cache.invalidate();
    },

    /** The back office's save of the home sections (same rules as saveMenu). */
    async saveHome(sections: HomeSectionInput[], expectedVersion: number): Promise<void> {
      const stored = homeSections(sections);
      if (!(await repository.saveSingletonIfVersion({ _id: 'home', sections: stored, updatedAt: clock(), version: expectedVersion }, expectedVersion))) throw new ConflictError('Home changed meanwhile');
      await cache.invalidate();
    },

    /**
     * A deleted category's references (by id, category-refs.ts): its menu links go, and it leaves the
     * featured category lists. Each document is written over the version read (editors' saves conflict
     * with it, as with each other). Addresses typed by hand (/c/<slug>) are left as they are.
     */
    async removeCategoryReferences(categoryId: ObjectId): Promise<CategoryReferenceChanges> {
      let menu: Awaited<ReturnType<typeof rewriteMenu>> = null;
      let home: Awaited<ReturnType<typeof rewriteHome>> = null;
      try {
        menu = await rewriteMenu(categoryId);
        home = await rewriteHome(categoryId);
      } finally {
        if (menu || home) await cache.invalidate();
      }
      return {
        menu: menu && { before: menu.before.links, ...menu.changed },
        home: home && { before: home.before.sections, ...home.changed },
      };
    },

    async home(): Promise<ResolvedSection[]> {
      return cache.get('home', async () => {
        const doc = await repository.home();
        if (!doc) return [];
        const tree = await catalog.categoryTree();
        const imageIds = doc.sections.flatMap((s) => {
          if (s.kind === 'hero') return s.imageId ? [s.imageId] : [];
          if (s.kind === 'featuredCategories') return s.categoryIds.flatMap((id) => tree.byId(id)?.category.imageId ?? []);
          return [];
        });
        const images = media && imageIds.length > 0 ? await media.imageInfo(imageIds) : new Map<string, ImageInfo>();
        const out: ResolvedSection[] = [];
        for (const s of doc.sections) {
          if (s.kind === 'hero') {
            const image = s.imageId ? images.get(s.imageId.toHexString()) : undefined;
            out.push(image ? { ...s, image } : s);
          } else if (s.kind === 'featuredCategories') {
            const categories = s.categoryIds.flatMap((id) => {
              const node = tree.byId(id);
              if (!node) return [];
              const image = node.category.imageId ? images.get(node.category.imageId.toHexString()) : undefined;
              return [image ? { node, image } : { node }];
            });
            if (categories.length > 0) out.push({ kind: s.kind, heading: s.heading, categories });
          } else if (s.kind === 'featuredProducts') {
            const products = await catalog.cardsByIds(s.productIds);
            if (products.length > 0) out.push({ kind: s.kind, heading: s.heading, products });
          } else out.push(s);
        }
        return out;
      });
    },
  };
}

export type CmsService = ReturnType<typeof createCmsService>;
