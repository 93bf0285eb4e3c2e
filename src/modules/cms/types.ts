import type { ObjectId } from 'mongodb';
import type { PublishStatus, Translated } from '../catalog/types.js';

export interface PageDoc {
  _id: ObjectId;
  slug: string;
  oldSlugs: string[];
  title: Translated;
  /** Markdown source per language. */
  body: Translated;
  /** Safe HTML rendered when saved (no raw HTML, no javascript: links). */
  bodyHtml: Translated;
  seoTitle?: Translated;
  seoDescription?: Translated;
  status: PublishStatus;
  /** A published page is visible from this time on (scheduled publishing). */
  publishAt?: Date;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type MenuLink =
  | { kind: 'category'; categoryId: ObjectId; label?: Translated }
  | { kind: 'page'; pageId: ObjectId; label?: Translated }
  | { kind: 'url'; url: string; label: Translated };

/** The single navigation menu document (`_id: "main"`). */
export interface MenuDoc {
  _id: string;
  links: MenuLink[];
  updatedAt: Date;
  version: number;
}

export type HomeSection =
  | { kind: 'hero'; heading: Translated; text: Translated; imageId?: ObjectId; link?: { url: string; label: Translated } }
  | { kind: 'featuredCategories'; heading: Translated; categoryIds: ObjectId[] }
  | { kind: 'featuredProducts'; heading: Translated; productIds: ObjectId[] }
  | { kind: 'richText'; markdown: Translated; html: Translated };

/** The single home page document (`_id: "home"`): its sections in order. */
export interface HomeDoc {
  _id: string;
  sections: HomeSection[];
  updatedAt: Date;
  version: number;
}
