import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createUser, csrfOf, insertOrder, signIn, signedInAgent, type TestUser } from './admin-fixtures.js';

const text = (page: Page, selector: string) => (page.html().querySelector(selector)?.text ?? '').replace(/\s+/g, ' ').trim();
const emails = (page: Page) => page.html().querySelectorAll('.users-table tbody tr td:first-child a').map((a) => a.text);

describe('customers and users', () => {
  let t: TestApp;
  let admin: TestAgent;
  let adminUser: TestUser;
  let staff: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    ({ agent: admin, user: adminUser } = await signedInAgent(t, 'admin'));
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  /** Makes the admin's last password confirmation 16 minutes old. */
  async function ageConfirmation(userId: string): Promise<void> {
    await t.db.collection('sessions').updateMany({ 'data.userId': userId }, { $set: { 'data.sudo.at': Date.now() - 16 * 60_000 } });
  }

  it('lists customers (not staff), searchable, sortable and paginated', async () => {
    const tag = new ObjectId().toHexString().slice(-5);
    for (let i = 0; i < 27; i++) await createUser(t, 'customer', `Zed ${tag} ${String(i).padStart(2, '0')}`);
    const first = await staff.get(`/admin/customers?q=${tag}&sort=name&dir=asc`);
    expect(first.status).toBe(200);
    expect(text(first, '.result-count')).toBe('27 accounts');
    const names = first.html().querySelectorAll('.users-table tbody tr td:nth-child(2)').map((td) => td.text);
    expect(names).toHaveLength(25);
    expect(names[0]).toBe(`Zed ${tag} 00`);
    const next = first.html().querySelector('.admin-pagination a[rel=next]')?.getAttribute('href') ?? '';
    const second = await staff.get(next);
    expect(second.html().querySelectorAll('.users-table tbody tr td:nth-child(2)').map((td) => td.text)).toEqual([`Zed ${tag} 25`, `Zed ${tag} 26`]);
    const desc = await staff.get(`/admin/customers?q=${tag}&sort=name&dir=desc`);
    expect(desc.html().querySelector('.users-table tbody tr td:nth-child(2)')?.text).toBe(`Zed ${tag} 26`);
    // Staff accounts are not customers.
    const all = await staff.get('/admin/customers?q=staff-');
    expect(emails(all)).toEqual([]);
    // Bad query values are the user's mistake.
    expect((await staff.get('/admin/customers?sort=password')).status).toBe(422);
    expect((await staff.get('/admin/customers?q=a&q=b')).status).toBe(422);
  });

  it('shows a customer with their orders; staff cannot open a staff account', async () => {
    const customer = await createUser(t, 'customer');
    const order = await insertOrder(t.db, { placedAt: new Date(), total: 4200, userId: customer.id, status: 'paid' });
    const page = await staff.get(`/admin/customers/${customer.id}`);
    expect(page.status).toBe(200);
    const rows = page.html().querySelectorAll('.customer-orders tbody tr');
    expect(rows.map((r) => r.querySelector('a')?.text)).toEqual([`#${order.number}`]);
    expect(page.html().querySelector('form.role-form')).toBeNull(); // staff cannot change roles
    const otherStaff = await createUser(t, 'staff');
    expect((await staff.get(`/admin/customers/${otherStaff.id}`)).status).toBe(403);
    expect((await staff.get(`/admin/customers/${new ObjectId().toHexString()}`)).status).toBe(404);
    expect((await staff.get('/admin/customers/not-an-id')).status).toBe(422);
  });

  it('disables an account: its sessions end and it cannot sign in; enabling restores it', async () => {
    const customer = await createUser(t, 'customer');
    const theirs = new TestAgent(t.app);
    await signIn(theirs, customer, '/account');
    expect((await theirs.get('/account')).status).toBe(200);

    const detail = await staff.get(`/admin/customers/${customer.id}`);
    expect((await staff.post(`/admin/customers/${customer.id}/disable`, {})).status).toBe(403); // no CSRF token
    const done = await staff.submitForm(detail, 'form.disable-form');
    expect(done.status).toBe(303);
    expect(text(await staff.follow(done), '.state')).toBe('Disabled');
    expect((await theirs.get('/account')).location).toMatch(/^\/login/);

    // The login form itself refuses it (the password is right, so it may say why).
    const again = new TestAgent(t.app);
    const refused = await again.submitForm(await again.get('/login?next=%2Faccount'), 'form.login-form', { email: customer.email, password: customer.password });
    expect(refused.status).toBe(403);
    expect(text(refused, '.form-error')).toContain('disabled');
    expect((await again.get('/account')).location).toMatch(/^\/login/);

    const enable = await staff.submitForm(await staff.get(`/admin/customers/${customer.id}`), 'form.enable-form');
    expect(enable.status).toBe(303);
    const back = new TestAgent(t.app);
    await signIn(back, customer, '/account');
    expect((await back.get('/account')).status).toBe(200);

    const entries = await t.db.collection('audit_log').find({ 'entity.id': customer.id }).sort({ at: 1 }).toArray();
    expect(entries.map((e) => [e.action, e.before, e.after])).toEqual([
      ['user.disable', { disabled: false }, { disabled: true }],
      ['user.enable', { disabled: true }, { disabled: false }],
    ]);
  });

  it('changes a role (admins only), asking for the password when the last confirmation is old', async () => {
    const target = await createUser(t, 'customer');
    const detail = await admin.get(`/admin/customers/${target.id}`);
    expect(detail.html().querySelector('form.role-form input[name=password]')).toBeNull(); // signed in just now
    const promoted = await admin.submitForm(detail, 'form.role-form', { role: 'staff' });
    expect(promoted.status).toBe(303);
    expect(await t.db.collection('users').findOne({ _id: new ObjectId(target.id) })).toMatchObject({ role: 'staff' });

    await ageConfirmation(adminUser.id);
    const stale = await admin.get(`/admin/customers/${target.id}`);
    expect(stale.html().querySelector('form.role-form input[name=password]')).not.toBeNull();
    const missing = await admin.submitForm(stale, 'form.role-form', { role: 'admin' });
    expect(missing.status).toBe(422);
    expect(text(missing, '#e-password')).toBe('Enter your password to confirm this change.');
    const wrong = await admin.submitForm(stale, 'form.role-form', { role: 'admin', password: 'not the password' });
    expect(wrong.status).toBe(422);
    expect(text(wrong, '#e-password')).toBe('That password is not correct.');
    const ok = await admin.submitForm(stale, 'form.role-form', { role: 'admin', password: adminUser.password });
    expect(ok.status).toBe(303);
    expect(await t.db.collection('users').findOne({ _id: new ObjectId(target.id) })).toMatchObject({ role: 'admin' });
    // Confirmed again: the next change needs no password.
    expect((await admin.get(`/admin/customers/${target.id}`)).html().querySelector('form.role-form input[name=password]')).toBeNull();

    const invalid = await admin.submitForm(detail, 'form.role-form', { role: 'superuser' });
    expect(invalid.status).toBe(422);
    expect(text(invalid, '#e-role')).toBe('Choose one of the roles in the list.');
    const token = csrfOf(await staff.get('/admin'));
    expect((await staff.post(`/admin/customers/${target.id}/role`, { _csrf: token, role: 'admin' })).status).toBe(403);
    expect((await admin.post(`/admin/customers/${target.id}/role`, { role: 'customer' })).status).toBe(403); // no CSRF token

    const roles = await t.db.collection('audit_log').find({ action: 'user.role', 'entity.id': target.id }).sort({ at: 1 }).toArray();
    expect(roles.map((e) => [e.before, e.after, e.actor.email])).toEqual([
      [{ role: 'customer' }, { role: 'staff' }, adminUser.email],
      [{ role: 'staff' }, { role: 'admin' }, adminUser.email],
    ]);
  });

  it('never demotes or disables the last admin', async () => {
    // Only one active admin left: every other admin is demoted first.
    await t.db.collection('users').updateMany({ role: 'admin', _id: { $ne: new ObjectId(adminUser.id) } }, { $set: { role: 'customer' } });
    const page = await admin.get(`/admin/customers/${adminUser.id}`);
    const demote = await admin.submitForm(page, 'form.role-form', { role: 'staff' });
    expect(demote.status).toBe(422);
    expect(text(demote, '#e-role')).toBe('This is the last admin: make another account admin first.');
    expect(await t.db.collection('users').findOne({ _id: new ObjectId(adminUser.id) })).toMatchObject({ role: 'admin' });
    const disable = await admin.submitForm(page, 'form.disable-form');
    expect(disable.status).toBe(422);
    expect(text(disable, '.form-error')).toBe('You cannot disable your own account.');
  });

  it('lists every account for admins, filtered by role', async () => {
    const page = await admin.get('/admin/users?role=admin');
    expect(page.status).toBe(200);
    expect(emails(page)).toEqual([adminUser.email]);
    expect((await admin.get('/admin/users?role=root')).status).toBe(422);
  });
});
