import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../helpers/agent.js';
import { createFuzzApp, type FuzzApp } from '../fuzz/app.js';
import { agentOf, concreteUrl, type Role } from '../fuzz/forms.js';
import { isStaffRoute, type RouteInfo } from '../fuzz/routes.js';
import { seedFuzzShop, type FuzzShop } from '../fuzz/shop.js';
import { changedCollections, snapshot } from '../fuzz/snapshot.js';
import { PT_ADDRESS } from '../fixtures/shop-data.js';

/**
 * Authorisation, from the router: every back-office route against every role, and every customer
 * resource against another customer (IDOR). New routes are covered as soon as they are registered.
 */

let t: FuzzApp;
let shop: FuzzShop;
const cells = { staff: 0, customer: 0 };
beforeAll(async () => {
  t = await createFuzzApp();
  shop = await seedFuzzShop(t);
}, 60_000);
afterAll(async () => {
  console.log(`authz matrix: ${cells.staff} back-office cells (routes × roles) + ${cells.customer} customer-resource cells = ${cells.staff + cells.customer}`);
  await t?.close();
});

const tokens = new Map<Role, string>();
async function csrf(role: Role): Promise<string> {
  const cached = tokens.get(role);
  if (cached) return cached;
  const token = (await agentOf(shop, role).get('/cart')).html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
  tokens.set(role, token);
  return token;
}

async function call(role: Role, method: string, url: string, body: Record<string, string> = {}): Promise<Page> {
  const agent = agentOf(shop, role);
  return method === 'GET' ? agent.get(url) : agent.post(url, { _csrf: await csrf(role), ...body });
}

const label = (r: RouteInfo, url: string, role: Role) => `${role} ${r.method} ${url} (route ${r.url})`;
const toLogin = (p: Page) => p.status === 303 && (p.location ?? '').startsWith('/login');
const staffRoutes = () => t.routes.filter(isStaffRoute);
const customerRoutes = () => t.routes.filter((r) => /^\/(account|orders|checkout\/done|downloads)(\/|$)/.test(r.url));

describe('back office: every /admin route × visitor, customer, staff, admin', () => {
  it('found the back-office routes in the router', () => {
    expect(staffRoutes().length).toBeGreaterThan(40);
    expect(staffRoutes().filter((r) => r.adminOnly).length).toBeGreaterThan(3);
  });

  it('refuses visitors (login), customers (403) and staff on admin-only routes (403), changing nothing', async () => {
    const before = await snapshot(t.db);
    for (const route of staffRoutes()) {
      const url = concreteUrl(route.url, shop, 'admin');
      const visitor = await call('visitor', route.method, url);
      expect(toLogin(visitor), `${label(route, url, 'visitor')} → ${visitor.status} ${visitor.location ?? ''}`).toBe(true);
      for (const role of ['customerA', 'customerB'] as const) {
        expect((await call(role, route.method, url)).status, label(route, url, role)).toBe(403);
      }
      if (route.adminOnly) expect((await call('staff', route.method, url)).status, label(route, url, 'staff')).toBe(403);
      cells.staff += 4;
    }
    expect(changedCollections(before, await snapshot(t.db))).toEqual([]);
  });

  it('lets staff into the staff routes and the admin into all of them (GET pages)', async () => {
    for (const route of staffRoutes().filter((r) => r.method === 'GET')) {
      const url = concreteUrl(route.url, shop, 'admin');
      for (const role of route.adminOnly ? (['admin'] as const) : (['staff', 'admin'] as const)) {
        const page = await call(role, 'GET', url);
        expect(page.status === 403 || toLogin(page), `${label(route, url, role)} → ${page.status}`).toBe(false);
        expect(page.status, label(route, url, role)).toBeLessThan(500);
        cells.staff += 1;
      }
    }
  });
});

describe('customer resources: nobody but the owner (no IDOR)', () => {
  /** Customer A's resource in place of each route parameter; B's valid download signature. */
  const aUrl = (route: RouteInfo): string => {
    const a = shop.customerA;
    const id = route.url.startsWith('/account/addresses') ? a.addressId : a.order._id.toHexString();
    const url = route.url.replace(':id', id).replace(':line', '1');
    if (!route.url.startsWith('/downloads')) return url;
    return url + (shop.customerB.downloadPath.match(/\?.*$/)?.[0] ?? '');
  };
  const addressBody = { ...PT_ADDRESS, fullName: 'Mallory', line1: 'Stolen street 1' };
  /** A body that passes validation, so that the request reaches the ownership check. */
  const bodyFor = (route: RouteInfo): Record<string, string> =>
    route.url === '/account/addresses/:id/default' ? { kind: 'shipping' } : route.url.startsWith('/account/addresses') ? addressBody : {};

  it('found the customer routes in the router', () => {
    const urls = customerRoutes().map((r) => `${r.method} ${r.url}`);
    for (const expected of ['GET /account/orders/:id', 'GET /orders/:id', 'POST /orders/:id/cancel', 'GET /account/addresses/:id/edit', 'POST /account/addresses/:id', 'POST /account/addresses/:id/delete', 'GET /downloads/:id/:line']) {
      expect(urls).toContain(expected);
    }
  });

  it('sends visitors to the login page from every /account route', async () => {
    for (const route of customerRoutes().filter((r) => r.url.startsWith('/account'))) {
      const url = aUrl(route);
      const page = await call('visitor', route.method, url, route.method === 'POST' ? bodyFor(route) : {});
      expect(toLogin(page), `${label(route, url, 'visitor')} → ${page.status} ${page.location ?? ''}`).toBe(true);
      cells.customer += 1;
    }
  });

  it("answers 403/404 to customer B (and to a visitor) for each of customer A's resources, changing nothing", async () => {
    const before = await snapshot(t.db);
    for (const route of customerRoutes().filter((r) => r.url.includes(':'))) {
      const url = aUrl(route);
      const body = route.method === 'POST' ? bodyFor(route) : {};
      for (const role of ['customerB', 'visitor'] as const) {
        if (role === 'visitor' && route.url.startsWith('/account')) continue; // login redirect, checked above
        const page = await call(role, route.method, url, body);
        expect([403, 404], `${label(route, url, role)} → ${page.status} ${page.location ?? ''}`).toContain(page.status);
        cells.customer += 1;
      }
    }
    expect(changedCollections(before, await snapshot(t.db))).toEqual([]);
    // The owner does get them (the same URLs are not simply broken).
    expect((await call('customerA', 'GET', `/account/orders/${shop.customerA.order._id.toHexString()}`)).status).toBe(200);
    expect((await call('customerA', 'GET', `/account/addresses/${shop.customerA.addressId}/edit`)).status).toBe(200);
    expect((await shop.visitor.get(shop.customerA.downloadPath)).status).toBe(200); // a signed link is the bearer's, like the email it came in
  });

  it("never shows customer A's data on customer B's account pages", async () => {
    const a = shop.customerA;
    const secrets = [a.user.email, 'Alice Fuzz', a.order._id.toHexString(), a.addressId];
    for (const route of customerRoutes().filter((r) => r.method === 'GET' && !r.url.includes(':'))) {
      const page = await call('customerB', 'GET', route.url);
      expect(page.status, route.url).toBeLessThan(400);
      for (const secret of secrets) expect(page.body.includes(secret), `${route.url} shows ${secret}`).toBe(false);
      cells.customer += 1;
    }
    const own = await call('customerA', 'GET', '/account/orders');
    expect(own.body).toContain(a.order._id.toHexString());
  });
});
