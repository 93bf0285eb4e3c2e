import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { errorText, GOOD_PASSWORD, login, register, uniqueEmail } from './accounts-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function signedIn(email = uniqueEmail()): Promise<TestAgent> {
  const agent = new TestAgent(t.app);
  await register(agent, { email });
  return agent;
}

const ADDRESS = { fullName: 'Ana Souza', line1: 'Av. Paulista, 1000', city: 'São Paulo', region: 'SP', postalCode: '01310100', country: 'BR', phone: '+55 11 99999-0000' };

describe('account pages', () => {
  it('saves the profile and the preferred language (cookie set for the next pages)', async () => {
    const agent = await signedIn();
    const page = await agent.get('/account/profile');
    const res = await agent.submitForm(page, 'form.profile-form', { name: 'Ana Nova', locale: 'es' }, { follow: true });
    expect(res.html().querySelector('#f-name')?.getAttribute('value')).toBe('Ana Nova');
    expect(res.html().querySelector('html')?.getAttribute('lang')).toBe('es');
  });

  it('changes the email only with the right password, and refuses a taken one', async () => {
    const taken = uniqueEmail('taken');
    await signedIn(taken);
    const agent = await signedIn();
    const page = await agent.get('/account/profile');
    const wrong = await agent.submitForm(page, 'form.email-form', { email: uniqueEmail(), emailPassword: 'not my password' });
    expect(wrong.status).toBe(422);
    expect(errorText(wrong, 'emailPassword')).toContain('not correct');
    const dup = await agent.submitForm(page, 'form.email-form', { email: taken, emailPassword: GOOD_PASSWORD });
    expect(errorText(dup, 'email')).toContain('already exists');
    const fresh = uniqueEmail('moved');
    expect((await agent.submitForm(page, 'form.email-form', { email: fresh, emailPassword: GOOD_PASSWORD })).status).toBe(303);
    expect((await login(new TestAgent(t.app), fresh, GOOD_PASSWORD)).status).toBe(303);
  });

  it('changes the password with the current one, keeping this session and ending the others', async () => {
    const email = uniqueEmail();
    const agent = await signedIn(email);
    const other = new TestAgent(t.app);
    await login(other, email, GOOD_PASSWORD);
    const page = await agent.get('/account/password');
    const bad = await agent.submitForm(page, 'form.password-form', { currentPassword: 'nope nope nope', password: 'a new long passphrase' });
    expect(bad.status).toBe(422);
    const ok = await agent.submitForm(page, 'form.password-form', { currentPassword: GOOD_PASSWORD, password: 'a new long passphrase' });
    expect(ok.status).toBe(303);
    expect((await agent.get('/account')).status).toBe(200);
    expect((await other.get('/account')).status).toBe(303);
  });

  it('adds, validates, edits, defaults and deletes addresses', async () => {
    const agent = await signedIn();
    const form = await agent.get('/account/addresses/new');
    const bad = await agent.submitForm(form, 'form.address-form', { ...ADDRESS, postalCode: '1234', city: '' });
    expect(bad.status).toBe(422);
    expect(errorText(bad, 'postalCode')).toContain('01310-100');
    expect(errorText(bad, 'city')).toBe('This field is required.');
    expect(bad.html().querySelector('#f-line1')?.getAttribute('value')).toBe(ADDRESS.line1);

    expect((await agent.submitForm(form, 'form.address-form', ADDRESS)).status).toBe(303);
    const second = { ...ADDRESS, fullName: 'John Roe', country: 'US', region: 'CA', postalCode: '94103-1234', city: 'San Francisco' };
    expect((await agent.submitForm(form, 'form.address-form', second)).status).toBe(303);
    let list = await agent.get('/account/addresses');
    const items = list.html().querySelectorAll('li.address');
    expect(items).toHaveLength(2);
    // The first address became both defaults; the stored postal code is canonical.
    expect(items[0]?.querySelector('.default-shipping')).not.toBeNull();
    expect(items[0]?.querySelector('address')?.text).toContain('01310-100');
    list = await agent.submitForm(list, `#${items[1]?.id ?? ''} form.default-billing-form`, {}, { follow: true });
    expect(list.html().querySelectorAll('li.address')[1]?.querySelector('.default-billing')).not.toBeNull();

    const edit = await agent.get(`/account/addresses/${(items[1]?.id ?? '').replace('address-', '')}/edit`);
    expect((await agent.submitForm(edit, 'form.address-form', { postalCode: '9410' })).status).toBe(422);
    expect((await agent.submitForm(edit, 'form.address-form', { city: 'Oakland', postalCode: '94607' })).status).toBe(303);
    list = await agent.get('/account/addresses');
    expect(list.html().querySelectorAll('li.address')[1]?.text).toContain('Oakland');
    list = await agent.submitForm(list, `#${items[0]?.id ?? ''} form.delete-address-form`, {}, { follow: true });
    const left = list.html().querySelectorAll('li.address');
    expect(left).toHaveLength(1);
    expect(left[0]?.querySelector('.default-shipping')).not.toBeNull(); // the default moved to the remaining one
  });

  it('shows empty order history and 404 for an unknown order', async () => {
    const agent = await signedIn();
    expect((await agent.get('/account/orders')).html().querySelector('.empty')).not.toBeNull();
    // The order page belongs to the orders module: an unknown id is a 404, a malformed one a 4xx.
    expect((await agent.get('/account/orders/0123456789abcdef01234567')).status).toBe(404);
    const malformed = (await agent.get('/account/orders/abc')).status;
    expect(malformed).toBeGreaterThanOrEqual(400);
    expect(malformed).toBeLessThan(500);
  });

  it('deletes the account: personal data anonymised, signed out, cannot sign in again', async () => {
    const email = uniqueEmail('gone');
    const agent = await signedIn(email);
    const form = await agent.get('/account/addresses/new');
    await agent.submitForm(form, 'form.address-form', ADDRESS);
    const page = await agent.get('/account/delete');
    expect((await agent.submitForm(page, 'form.delete-form', { deletePassword: 'wrong password' })).status).toBe(422);
    const res = await agent.submitForm(page, 'form.delete-form', { deletePassword: GOOD_PASSWORD });
    expect(res.location).toBe('/');
    expect((await agent.get('/account')).status).toBe(303);
    expect(await t.db.collection('users').countDocuments({ email })).toBe(0);
    const doc = await t.db.collection('users').findOne({ email: /^deleted-/, deletedAt: { $exists: true }, name: '' }, { sort: { deletedAt: -1 } });
    expect(doc?.addresses).toEqual([]);
    expect(doc?.passwordHash).toBeNull();
    expect((await login(new TestAgent(t.app), email, GOOD_PASSWORD)).status).toBe(401);
  });

  it('lets create-admin\'s one-time password in only to choose a new one; admins see the outbox', async () => {
    const email = uniqueEmail('admin');
    const { password } = await t.services.accounts.createOrPromoteAdmin(email);
    const agent = new TestAgent(t.app);
    await login(agent, email, password);
    expect((await agent.get('/admin/outbox')).location).toBe('/account/password');
    const page = await agent.get('/account/password');
    await agent.submitForm(page, 'form.password-form', { currentPassword: password, password: 'the admin passphrase' });
    const outbox = await agent.get('/admin/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.html().querySelectorAll('.outbox-list td.to').map((td) => td.text)).toContain(email);
  });
});
