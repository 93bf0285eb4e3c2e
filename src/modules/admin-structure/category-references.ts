import type { ObjectId } from 'mongodb';
import type { CategoryReferences, ReferenceChange } from '../catalog/category-editor.js';
import type { CmsService } from '../cms/service.js';
import type { HomeSection, MenuLink } from '../cms/types.js';
import { asInput } from './home-form.js';

/** Ids as text, dates as ISO strings: what the audit log stores. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const menuView = (links: readonly MenuLink[]) => ({ links: links.map(plain) });
const homeView = (sections: readonly HomeSection[]) => ({ sections: sections.map((s) => plain(asInput(s))) });

/**
 * The menu and the home page sections as the category editor sees them: a deleted category's links
 * and featured places removed by the content service, with the audit entries the menu and home
 * editors would have written for the same change (menu.update, home.update).
 */
export function categoryReferences(cms: Pick<CmsService, 'removeCategoryReferences'>): CategoryReferences {
  return {
    async drop(id: ObjectId) {
      const { menu, home } = await cms.removeCategoryReferences(id);
      const changes: ReferenceChange[] = [];
      if (menu) changes.push({ action: 'menu.update', entity: { type: 'menu', id: 'main' }, before: menuView(menu.before), after: menuView(menu.after) });
      if (home) changes.push({ action: 'home.update', entity: { type: 'home', id: 'home' }, before: homeView(home.before), after: homeView(home.after) });
      return { menuLinks: menu?.removed ?? 0, homeSections: home?.updated ?? 0, changes };
    },
  };
}
