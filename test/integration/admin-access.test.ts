import type { FastifyPluginAsync, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modules } from '../../src/modules/index.js';
import type { AppModule, ModuleContext } from '../../src/modules/types.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

/** Every /admin route, collected from the router itself as the app registers it. */
const routes: { method: string; url: string; adminOnly: boolean }[] = [];
const collector: AppModule = {
  name: 'route-collector',
  routes: fp((async (site) => {
    site.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (!route.url.startsWith('/admin') || method === 'HEAD') continue;
        routes.push({ method, url: route.url, adminOnly: route.config?.adminOnly === true });
      }
    });
  }) as FastifyPluginAsync<ModuleContext>) as FastifyPluginAsync<ModuleContext>,
};

const concrete = (url: string) => url.replace(/:id\b/g, '0123456789abcdef01234567').replace(/:(\w+)/g, 'x');

describe('back-office access', () => {
  let t: TestApp;
  let customer: TestAgent;
  let staff: TestAgent;
  let admin: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ modules: [collector, ...modules] });
    customer = (await signedInAgent(t, 'customer')).agent;
    staff = (await signedInAgent(t, 'staff')).agent;
    admin = (await signedInAgent(t, 'admin')).agent;
  });
  afterAll(async () => t?.close());

  it('found the back-office routes', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of ['GET /admin', 'GET /admin/customers', 'GET /admin/users', 'GET /admin/audit', 'GET /admin/settings', 'POST /admin/settings', 'POST /admin/customers/:id/role', 'GET /admin/security']) {
      expect(urls).toContain(expected);
    }
    expect(routes.length).toBeGreaterThan(15);
  });

  it('sends a visitor to the login page from every /admin route', async () => {
    const visitor = new TestAgent(t.app);
    const token = csrfOf(await visitor.get('/login')); // a page with a POST form
    for (const route of routes) {
      const url = concrete(route.url);
      const page = route.method === 'GET' ? await visitor.get(url) : await visitor.post(url, { _csrf: token });
      expect(page.status, `${route.method} ${url}`).toBe(303);
      expect(page.location, `${route.method} ${url}`).toMatch(/^\/login/);
    }
  });

  it('answers 403 to a customer on every /admin route', async () => {
    const token = csrfOf(await customer.get('/account'));
    for (const route of routes) {
      const url = concrete(route.url);
      const page = route.method === 'GET' ? await customer.get(url) : await customer.post(url, { _csrf: token });
      expect(page.status, `${route.method} ${url}`).toBe(403);
    }
  });

  it('answers 403 to staff on every admin-only route, and lets staff into the others', async () => {
    const token = csrfOf(await staff.get('/admin'));
    const adminOnly = routes.filter((r) => r.adminOnly);
    expect(adminOnly.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(['GET /admin/users', 'GET /admin/settings', 'POST /admin/settings', 'GET /admin/audit', 'POST /admin/customers/:id/role']));
    for (const route of adminOnly) {
      const url = concrete(route.url);
      const page = route.method === 'GET' ? await staff.get(url) : await staff.post(url, { _csrf: token });
      expect(page.status, `${route.method} ${url}`).toBe(403);
    }
    for (const url of ['/admin', '/admin/customers', '/admin/security']) expect((await staff.get(url)).status, url).toBe(200);
  });

  it('lets an admin open every page without parameters', async () => {
    for (const route of routes.filter((r) => r.method === 'GET' && !r.url.includes(':') && !r.url.includes('recovery-codes'))) {
      const page = await admin.get(route.url);
      expect(page.status, route.url).toBe(200);
    }
  });

  it('shows admin-only navigation to admins only', async () => {
    const links = async (agent: TestAgent) => (await agent.get('/admin')).html().querySelectorAll('.admin-nav a').map((a) => a.getAttribute('href'));
    expect(await links(admin)).toEqual(expect.arrayContaining(['/admin/users', '/admin/settings', '/admin/audit']));
    const staffLinks = await links(staff);
    expect(staffLinks).toContain('/admin/customers');
    expect(staffLinks).not.toContain('/admin/settings');
  });
});
