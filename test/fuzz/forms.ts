import type { HTMLElement } from 'node-html-parser';
import { formFields, type TestAgent } from '../helpers/agent.js';
import type { RouteInfo } from './routes.js';
import type { FuzzShop } from './shop.js';

export type Role = 'visitor' | 'customerA' | 'customerB' | 'staff' | 'admin';
export const ROLES: readonly Role[] = ['visitor', 'customerA', 'customerB', 'staff', 'admin'];

/** A form found on a page: where it posts, its fields with the values a browser would send. */
export interface FormSpec {
  role: Role;
  page: string;
  method: 'GET' | 'POST';
  action: string;
  multipart: boolean;
  /** Successful controls as the page filled them, `_csrf` included. */
  fields: [string, string][];
  fileFields: string[];
}

export function agentOf(shop: FuzzShop, role: Role): TestAgent {
  switch (role) {
    case 'visitor': return shop.visitor;
    case 'customerA': return shop.customerA.agent;
    case 'customerB': return shop.customerB.agent;
    case 'staff': return shop.staff.agent;
    case 'admin': return shop.admin.agent;
  }
}

/** Plausible values for empty fields, so that one bad field at a time is what the server sees. */
function plausible(name: string, type: string): string {
  const n = name.toLowerCase();
  if (type === 'email' || n.includes('email')) return 'fuzz-probe@example.com';
  if (type === 'password' || n.includes('password')) return 'not the password 1';
  if (n.includes('postal')) return '1100-148';
  if (n === 'country') return 'PT';
  if (type === 'number' || n.includes('qty') || n.includes('quantity')) return '1';
  if (n.includes('code') && n.includes('totp')) return '123456';
  return 'fuzz';
}

function specOf(role: Role, page: string, form: HTMLElement): FormSpec {
  const method = (form.getAttribute('method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
  const action = new URL(form.getAttribute('action') ?? page, `http://localhost${page}`);
  const fields: [string, string][] = [];
  for (const [name, values] of formFields(form)) for (const v of values) fields.push([name, v]);
  const types = new Map(form.querySelectorAll('input').map((i) => [i.getAttribute('name') ?? '', (i.getAttribute('type') ?? 'text').toLowerCase()]));
  for (const f of fields) if (f[1] === '') f[1] = plausible(f[0], types.get(f[0]) ?? 'text');
  const fileFields = form.querySelectorAll('input[type=file]').map((i) => i.getAttribute('name') ?? '').filter((n) => n !== '');
  const multipart = (form.getAttribute('enctype') ?? '').toLowerCase() === 'multipart/form-data';
  return { role, page, method, action: action.pathname + action.search, multipart, fields, fileFields };
}

/** Route placeholders → values that exist in the seeded shop, as the given role would use them. */
export function concreteUrl(url: string, shop: FuzzShop, role: Role): string {
  const own = role === 'customerB' ? shop.customerB : shop.customerA;
  const values: Record<string, string> = {
    slug: shop.product.slug,
    id: url.startsWith('/account/addresses') ? own.addressId
      : url.startsWith('/admin/customers') ? shop.customerA.user.id
      : url.startsWith('/admin/products') ? shop.product._id.toHexString()
      : own.order._id.toHexString(),
    number: String(shop.customerA.order.number),
    token: 'a'.repeat(43),
    line: '1',
    file: '400.webp',
    '*': 'css/site.css',
  };
  return url.replace(/:(\w+)|\*/g, (m: string, name: string | undefined) => values[name ?? '*'] ?? 'x');
}

/** Form key: the same form on many pages (search, language switcher) is fuzzed once. */
const keyOf = (f: FormSpec): string => `${f.method} ${f.action.split('?')[0] ?? ''} ${f.fields.map(([n]) => n).sort().join(',')}`;

/**
 * Visits every GET route (placeholders filled) as every role and collects the forms on the pages.
 * The first role to see a form owns it: requests for it are sent with that role's session.
 */
export async function crawlForms(shop: FuzzShop, routes: readonly RouteInfo[]): Promise<FormSpec[]> {
  const pages = routes.filter((r) => r.method === 'GET' && !r.url.endsWith('.csv') && !r.url.startsWith('/downloads')).map((r) => r.url);
  const extra = ['/login?next=%2Faccount', `/p/${shop.product.slug}`, '/checkout/contact', '/checkout/address', '/checkout/shipping', '/checkout/discount', '/checkout/review'];
  const forms = new Map<string, FormSpec>();
  for (const role of ROLES) {
    const agent = agentOf(shop, role);
    for (const url of [...pages.map((p) => concreteUrl(p, shop, role)), ...extra]) {
      const page = await agent.get(url);
      if (page.status !== 200 || !String(page.headers['content-type'] ?? '').includes('text/html')) continue;
      for (const form of page.html().querySelectorAll('form')) {
        const spec = specOf(role, url, form);
        if (!forms.has(keyOf(spec))) forms.set(keyOf(spec), spec);
      }
    }
  }
  return [...forms.values()];
}
