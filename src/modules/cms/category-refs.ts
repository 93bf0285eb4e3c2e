import type { ObjectId } from 'mongodb';
import type { HomeSection, MenuLink } from './types.js';

/**
 * The structured references to a category in the site's content: menu links of kind "category"
 * and the lists of featured categories on the home page, both by id. Addresses typed by hand
 * (a url link or a hero button to /c/<slug>, a link in Markdown) are not references and are not read.
 */

export function menuWithoutCategory(links: readonly MenuLink[], id: ObjectId): { links: MenuLink[]; removed: number } {
  const kept = links.filter((l) => !(l.kind === 'category' && l.categoryId.equals(id)));
  return { links: kept, removed: links.length - kept.length };
}

/** A list left empty keeps its section (heading and place): the shop hides it until staff pick a category. */
export function homeWithoutCategory(sections: readonly HomeSection[], id: ObjectId): { sections: HomeSection[]; updated: number } {
  let updated = 0;
  const out = sections.map((s): HomeSection => {
    if (s.kind !== 'featuredCategories' || !s.categoryIds.some((c) => c.equals(id))) return s;
    updated++;
    return { ...s, categoryIds: s.categoryIds.filter((c) => !c.equals(id)) };
  });
  return { sections: out, updated };
}

/** What removing a category's references changed (null: that document did not mention it). */
export interface CategoryReferenceChanges {
  menu: { before: MenuLink[]; after: MenuLink[]; removed: number } | null;
  home: { before: HomeSection[]; after: HomeSection[]; updated: number } | null;
}
