import { ObjectId } from 'mongodb';
import { LOCALE_COOKIE } from '../../src/i18n/locales.js';
import { TestAgent } from '../helpers/agent.js';
import { signIn } from '../integration/admin-fixtures.js';
import type { FuzzApp } from './app.js';
import { formCases, routeCases, type FuzzCase } from './cases.js';
import { responseProblems, expectedLocale, type CheckName } from './checks.js';
import { agentOf, concreteUrl, crawlForms, type FormSpec, type Role } from './forms.js';
import { isStaffRoute, type RouteInfo } from './routes.js';
import { ROLE_LOCALES, type FuzzShop } from './shop.js';
import { sendCase } from './send.js';
import { changedCollections, snapshot } from './snapshot.js';

export interface Failure {
  check: CheckName;
  request: string;
  status: number;
  detail: string;
}

export interface FuzzReport {
  routes: number;
  forms: number;
  sent: number;
  byClass: Record<string, number>;
  /** Requests that could not be built at all (refused by the HTTP client, not by the app). */
  refused: number;
  batches: number;
  /** Rejected requests sent again one at a time because their batch changed the database. */
  replayed: number;
  failures: Failure[];
  failuresByCheck: Record<string, number>;
  seconds: number;
}

export interface FuzzOptions {
  /** Take about this many cases (stratified by kind); undefined = every case. */
  sample?: number;
  /** Include the 51 MiB uploads. */
  heavy?: boolean;
  seed?: number;
  /** Most requests per batch (between two snapshots). */
  batchSize?: number;
  onProgress?: (report: FuzzReport) => void;
}

const describe = (c: FuzzCase): string => `${c.role} ${c.method} ${c.url.length > 140 ? c.url.slice(0, 140) + '…' : c.url} [${c.kind}]`;
const classOf = (status: number): string => (status === 0 ? 'refused' : `${Math.floor(status / 100)}xx`);

/** Who sends a route's generic cases: someone allowed there, so that the request reaches validation. */
export function roleForRoute(route: RouteInfo): Role {
  if (isStaffRoute(route)) return 'admin';
  if (/^\/(account|orders|downloads|checkout\/done)/.test(route.url)) return 'customerA';
  return 'visitor';
}

/** Every case for the shop: the forms of its pages and the routes of its router. */
export async function buildCases(t: FuzzApp, shop: FuzzShop, options: FuzzOptions = {}): Promise<{ forms: FormSpec[]; cases: FuzzCase[] }> {
  const forms = await crawlForms(shop, t.routes);
  const cases = [...forms.flatMap((f) => formCases(f, { heavy: options.heavy ?? false })), ...routeCases(t.routes, roleForRoute, (url, role) => concreteUrl(url, shop, role))];
  return { forms, cases: options.sample === undefined ? cases : sample(cases, options.sample, options.seed ?? 1) };
}

/** About n cases, round-robin over the kinds (each kind shuffled by a seeded PRNG), original order kept. */
function sample(cases: FuzzCase[], n: number, seed: number): FuzzCase[] {
  let state = seed >>> 0 || 1;
  const rand = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const byKind = new Map<string, number[]>();
  cases.forEach((c, i) => byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), i]));
  const queues = [...byKind.values()].map((q) => q.map((i) => ({ i, r: rand() })).sort((a, b) => a.r - b.r).map((x) => x.i));
  const picked = new Set<number>();
  while (picked.size < Math.min(n, cases.length)) for (const q of queues) if (q.length > 0 && picked.size < n) picked.add(q.shift() ?? 0);
  return cases.filter((_, i) => picked.has(i));
}

export async function runFuzz(t: FuzzApp, shop: FuzzShop, cases: readonly FuzzCase[], forms: number, options: FuzzOptions = {}): Promise<FuzzReport> {
  const started = Date.now();
  const report: FuzzReport = { routes: t.routes.length, forms, sent: 0, byClass: {}, refused: 0, batches: 0, replayed: 0, failures: [], failuresByCheck: {}, seconds: 0 };
  const fail = (check: CheckName, c: FuzzCase, status: number, detail: string): void => {
    report.failures.push({ check, request: describe(c), status, detail });
    report.failuresByCheck[check] = (report.failuresByCheck[check] ?? 0) + 1;
  };
  const tokens = new Map<Role, { cookie: string | undefined; token: string }>();
  const csrfOf = async (role: Role): Promise<string> => {
    const agent = agentOf(shop, role);
    const cached = tokens.get(role);
    if (cached && cached.cookie === agent.cookies.get('_csrf')) return cached.token;
    const page = await agent.get('/cart');
    const token = page.html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    tokens.set(role, { cookie: agent.cookies.get('_csrf'), token });
    return token;
  };
  const send = async (c: FuzzCase) => {
    const agent = agentOf(shop, c.role);
    const acceptLanguage = ROLE_LOCALES[c.role];
    const locale = expectedLocale(c, agent.cookies, acceptLanguage);
    const r = await sendCase(t.app, agent, c, await csrfOf(c.role), acceptLanguage);
    agent.cookies.delete(LOCALE_COOKIE); // each role keeps browsing in its own language
    return { r, locale };
  };

  const groups = new Map<string, FuzzCase[]>();
  for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const batchSize = options.batchSize ?? 80;
  let before = await snapshot(t.db);
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += batchSize) {
      const batch = group.slice(start, start + batchSize);
      const rejected: FuzzCase[] = [];
      for (const c of batch) {
        const { r, locale } = await send(c);
        report.sent += 1;
        report.byClass[classOf(r.status)] = (report.byClass[classOf(r.status)] ?? 0) + 1;
        if (r.refused !== undefined) report.refused += 1;
        for (const p of responseProblems(c, r, locale)) fail(p.check, c, r.status, p.detail);
        if (r.status >= 400 && r.status < 500) rejected.push(c);
      }
      report.batches += 1;
      let after = await snapshot(t.db);
      if (rejected.length > 0 && changedCollections(before, after).length > 0) {
        // Someone changed the database: find out whether a rejected request did, one at a time.
        for (const c of rejected) {
          const s0 = await snapshot(t.db);
          const { r } = await send(c);
          report.replayed += 1;
          const s1 = await snapshot(t.db);
          const changed = changedCollections(s0, s1);
          if (r.status >= 400 && r.status < 500 && changed.length > 0) fail('state-changed', c, r.status, changed.join(', '));
        }
        after = await snapshot(t.db);
      }
      before = after;
      options.onProgress?.(report);
    }
    if (await restoreSessions(t, shop, new Set(group.map((c) => c.role)))) before = await snapshot(t.db);
  }
  report.seconds = Math.round((Date.now() - started) / 1000);
  return report;
}

/**
 * Accepted requests may sign a role out (logout), disable it (the back office's customer forms) or
 * lose its cart: put the roles back so that the next group still reaches validation. Returns true
 * when it wrote to the database.
 */
async function restoreSessions(t: FuzzApp, shop: FuzzShop, roles: ReadonlySet<Role>): Promise<boolean> {
  let wrote = false;
  const users = { customerA: shop.customerA.user, customerB: shop.customerB.user, staff: shop.staff.user, admin: shop.admin.user } as const;
  for (const role of roles) {
    if (role === 'visitor') continue;
    const agent: TestAgent = agentOf(shop, role);
    const page = await agent.get('/account');
    if (page.status === 200) continue;
    const user = users[role];
    await t.db.collection('users').updateOne({ _id: new ObjectId(user.id) }, { $unset: { disabledAt: '' }, $set: { role: role === 'staff' || role === 'admin' ? role : 'customer' } });
    wrote = true;
    await signIn(agent, user, '/account');
  }
  return wrote;
}

/** The figures, for the console. */
export function formatReport(r: FuzzReport): string {
  const classes = Object.entries(r.byClass).sort().map(([k, v]) => `${k}: ${v}`).join(', ');
  const lines = [
    `fuzz: ${r.routes} routes, ${r.forms} forms; ${r.sent} malformed requests in ${r.batches} batches (${r.seconds} s)`,
    `  by status: ${classes}`,
    `  5xx: ${r.failuresByCheck['5xx'] ?? 0}; state changed by a rejected request: ${r.failuresByCheck['state-changed'] ?? 0} (${r.replayed} replayed one by one)`,
    `  off-site redirects: ${r.failuresByCheck['offsite-redirect'] ?? 0}; rejections not an HTML page: ${(r.failuresByCheck['not-html'] ?? 0) + (r.failuresByCheck['json-error'] ?? 0)}; in the wrong language: ${r.failuresByCheck['wrong-language'] ?? 0}; secrets served: ${r.failuresByCheck['served-secret'] ?? 0}`,
  ];
  const order: CheckName[] = ['5xx', 'state-changed', 'offsite-redirect', 'served-secret', 'not-html', 'json-error', 'wrong-language'];
  const sorted = [...r.failures].sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check));
  for (const f of sorted.slice(0, 60)) lines.push(`  FAIL ${f.check} ${f.status} ${f.request} — ${f.detail.replace(/\s+/g, ' ').slice(0, 160)}`);
  if (r.failures.length > 60) lines.push(`  … ${r.failures.length - 60} more`);
  return lines.join('\n');
}
