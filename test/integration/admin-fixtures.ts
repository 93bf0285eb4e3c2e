import { ObjectId, type Db } from 'mongodb';
import type { Role } from '../../src/modules/accounts/repository.js';
import type { OrderDoc, OrderStatus } from '../../src/modules/orders/types.js';
import type { TestApp } from '../helpers/test-app.js';
import { TestAgent, type Page } from '../helpers/agent.js';

/** Accounts, signed-in agents and orders for the back-office tests. */

let counter = 0;
export const PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export async function createUser(t: TestApp, role: Role, name = `${role} ${++counter}`): Promise<TestUser> {
  const email = `${role}-${++counter}-${new ObjectId().toHexString().slice(-6)}@example.com`;
  const user = await t.services.accounts.register({ email, password: PASSWORD, name, locale: 'en' });
  if (role !== 'customer') await t.db.collection('users').updateOne({ _id: new ObjectId(user.id) }, { $set: { role } });
  return { id: user.id, email, password: PASSWORD };
}

/** Signs in through the real login form; returns the page after the redirect(s). */
export async function signIn(agent: TestAgent, user: TestUser, next = '/admin'): Promise<Page> {
  const login = await agent.get(`/login?next=${encodeURIComponent(next)}`);
  const after = await agent.submitForm(login, 'form.login-form', { email: user.email, password: user.password });
  if (after.status !== 303) throw new Error(`login failed: ${after.status}`);
  return agent.follow(after);
}

export async function signedInAgent(t: TestApp, role: Role): Promise<{ agent: TestAgent; user: TestUser }> {
  const user = await createUser(t, role);
  const agent = new TestAgent(t.app);
  await signIn(agent, user);
  return { agent, user };
}

export interface OrderSpec {
  placedAt: Date;
  total: number;
  status?: OrderStatus;
  currency?: string;
  userId?: string;
  lines?: { productId: ObjectId; title: string; qty: number; amount: number }[];
}

/** A placed order written straight into the orders collection (the dashboard only reads them). */
export async function insertOrder(db: Db, spec: OrderSpec): Promise<OrderDoc> {
  const currency = spec.currency ?? 'EUR';
  const m = (amount: number) => ({ amount, currency });
  const n = ++counter;
  const lines = (spec.lines ?? [{ productId: new ObjectId(), title: `Thing ${n}`, qty: 1, amount: spec.total }]).map((l) => ({
    productId: l.productId, variantId: new ObjectId(), slug: `thing-${n}`, sku: `SKU-${n}`, title: { en: l.title },
    optionLabels: [], unitPrice: m(Math.round(l.amount / l.qty)), qty: l.qty, lineTotal: m(l.amount), digital: null,
  }));
  const doc: OrderDoc = {
    _id: new ObjectId(), number: 100_000 + n, checkoutToken: `token-${n}-${new ObjectId().toHexString()}`, cartId: new ObjectId(),
    userId: spec.userId ? new ObjectId(spec.userId) : null, email: `buyer${n}@example.com`, locale: 'en',
    status: spec.status ?? 'paid', lines,
    address: { fullName: 'A B', line1: 'x', line2: '', city: 'Lisboa', region: '', postalCode: '1000-001', country: 'PT', phone: '' },
    shipping: { methodId: 'standard', name: { en: 'Standard' }, amount: m(0), pickup: false },
    discount: null, subtotal: m(spec.total), taxes: [], pricesIncludeTax: true, total: m(spec.total), currency,
    payment: { method: 'bank_transfer', status: 'awaiting' },
    placement: { leaseUntil: spec.placedAt }, history: [], createdAt: spec.placedAt, updatedAt: spec.placedAt, placedAt: spec.placedAt,
  };
  await db.collection<OrderDoc>('orders').insertOne(doc);
  return doc;
}

/** The _csrf value of the first form on a page. */
export function csrfOf(page: Page): string {
  const value = page.html().querySelector('input[name=_csrf]')?.getAttribute('value');
  if (!value) throw new Error(`no CSRF token on ${page.url}`);
  return value;
}
