/**
 * The back office's side navigation, in display order. A back-office page adds one line here;
 * `adminOnly` entries are hidden from staff (the routes check it again on the server).
 */
export interface AdminNavItem {
  href: string;
  /** Translation key of the label. */
  labelKey: string;
  adminOnly?: boolean;
}

export const ADMIN_NAV: readonly AdminNavItem[] = [
  { href: '/admin', labelKey: 'admin.nav.dashboard' },
  { href: '/admin/orders', labelKey: 'adminOrders.nav' },
  { href: '/admin/products', labelKey: 'adminCatalog.nav.products' },
  { href: '/admin/pages', labelKey: 'adminCatalog.nav.pages' },
  { href: '/admin/categories', labelKey: 'adminStructure.nav.categories' },
  { href: '/admin/menu', labelKey: 'adminStructure.nav.menu' },
  { href: '/admin/home', labelKey: 'adminStructure.nav.home' },
  { href: '/admin/shipping', labelKey: 'adminCommerce.nav.shipping', adminOnly: true },
  { href: '/admin/taxes', labelKey: 'adminCommerce.nav.taxes', adminOnly: true },
  { href: '/admin/discounts', labelKey: 'adminCommerce.nav.discounts', adminOnly: true },
  { href: '/admin/customers', labelKey: 'admin.nav.customers' },
  { href: '/admin/users', labelKey: 'admin.nav.users', adminOnly: true },
  { href: '/admin/audit', labelKey: 'admin.nav.audit', adminOnly: true },
  { href: '/admin/settings', labelKey: 'admin.nav.settings', adminOnly: true },
  { href: '/admin/security', labelKey: 'admin.nav.security' },
  { href: '/admin/outbox', labelKey: 'admin.nav.outbox' },
];

export function visibleNav(role: string, path: string): { href: string; labelKey: string; current: boolean }[] {
  const items = ADMIN_NAV.filter((item) => !item.adminOnly || role === 'admin');
  // The longest matching prefix is the current section (/admin/customers/1 → Customers, not Dashboard).
  const current = items
    .filter((item) => path === item.href || path.startsWith(item.href + '/') || path.startsWith(item.href + '?'))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((item) => ({ href: item.href, labelKey: item.labelKey, current: item === current }));
}
