import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

/** Issue 7 point 3: shipping methods and tax rates — admins only, through the checkout's settings. */
describe('admin shipping and taxes', () => {
  let t: TestApp;
  let admin: TestAgent;
  let staff: TestAgent;
  const settings = () => t.services.checkout.settings();

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await signedInAgent(t, 'admin')).agent;
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  it('creates a flat-rate method free above a threshold, edits it, and deletes it; checkout offers it at once', async () => {
    const form = await admin.get('/admin/shipping/new');
    const created = await admin.submitForm(form, 'form.shipping-form', { id: 'express', kind: 'flat', amount: '9.90', freeAbove: '100', name_en: 'Express', 'name_pt-BR': 'Expressa', countries: ['PT', 'ES'] });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/admin/shipping/express');
    const express = (await settings()).shippingMethods.find((m) => m.id === 'express');
    expect(express).toEqual({ id: 'express', kind: 'flat', amount: 990, freeAbove: 10_000, countries: ['PT', 'ES'], name: { en: 'Express', 'pt-BR': 'Expressa' } });

    const list = await admin.get('/admin/shipping');
    const row = list.html().querySelectorAll('table.shipping-table tbody tr').find((r) => r.querySelector('a')?.text === 'Express');
    expect(row?.querySelectorAll('td.num').map((c) => c.text)).toEqual(['€9.90', '€100.00']);

    const edit = await admin.follow(created);
    expect((await admin.submitForm(edit, 'form.shipping-form', { kind: 'pickup', countries: ['PT'] })).status).toBe(303);
    expect((await settings()).shippingMethods.find((m) => m.id === 'express')).toMatchObject({ kind: 'pickup', amount: 0, freeAbove: null, countries: ['PT'] });

    const again = await admin.get('/admin/shipping/express');
    expect((await admin.submitForm(again, 'form.delete-form')).status).toBe(303);
    expect((await settings()).shippingMethods.some((m) => m.id === 'express')).toBe(false);
    const actions = (await t.db.collection('audit_log').find({ 'entity.id': 'shipping' }).toArray()).map((a) => a.action);
    expect(actions).toEqual(['shipping.create', 'shipping.update', 'shipping.delete']);
  });

  it('edits the countries served, validates every field (422 with a linked summary, input kept)', async () => {
    const list = await admin.get('/admin/shipping');
    const bad = await admin.submitForm(list, 'form.countries-form', { countries: 'PT, Portugal' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelector('#f-countries')?.getAttribute('value')).toBe('PT, Portugal');
    expect((await admin.submitForm(bad, 'form.countries-form', { countries: 'pt es, br' })).status).toBe(303);
    expect((await settings()).countries).toEqual(['PT', 'ES', 'BR']);

    const form = await admin.get('/admin/shipping/new');
    const invalid = await admin.submitForm(form, 'form.shipping-form', { id: 'Bad Id', kind: 'flat', amount: 'lots', name_en: '', countries: ['FR'] });
    expect(invalid.status).toBe(422);
    expect(invalid.html().querySelectorAll('.error-summary a').map((a) => a.getAttribute('href'))).toEqual(['#f-id', '#f-name_en', '#f-amount', '#f-countries']);
    expect(invalid.html().querySelector('#f-amount')?.getAttribute('value')).toBe('lots');
    const taken = await admin.submitForm(form, 'form.shipping-form', { id: 'standard', kind: 'flat', amount: '1', name_en: 'Dup', countries: ['PT'] });
    expect(taken.status).toBe(422);
    expect(taken.html().querySelector('#e-id')).not.toBeNull();
  });

  it('saves tax rates and the inclusive/exclusive setting; refuses bad rates and duplicate countries', async () => {
    const form = await admin.get('/admin/taxes');
    const rows = Number(form.html().querySelector('input[name=rows]')?.getAttribute('value'));
    const blank = rows - 1;
    const bad = await admin.submitForm(form, 'form.tax-form', { [`r${blank}_country`]: 'PT', [`r${blank}_rate`]: '120', [`r${blank}_label_en`]: 'Again' });
    expect(bad.status).toBe(422);
    expect(bad.html().querySelectorAll('.error-summary a').map((a) => a.getAttribute('href'))).toEqual([`#f-r${blank}_country`, `#f-r${blank}_rate`]);
    expect(bad.html().querySelector(`#f-r${blank}_label_en`)?.getAttribute('value')).toBe('Again');

    const more = await admin.submitForm(form, 'form.tax-form', { action: 'addRows' });
    expect(Number(more.html().querySelector('input[name=rows]')?.getAttribute('value'))).toBe(rows + 3);
    const saved = await admin.submitForm(form, 'form.tax-form', { pricesIncludeTax: 'exclusive', r0_rate: '6', [`r${blank}_country`]: 'us', [`r${blank}_rate`]: '7.25', [`r${blank}_label_en`]: 'Sales tax', r1_remove: 'on' });
    expect(saved.status).toBe(303);
    const s = await settings();
    expect(s.pricesIncludeTax).toBe(false);
    expect(s.taxRates[0]).toMatchObject({ country: 'PT', rateBp: 600 });
    expect(s.taxRates.find((r) => r.country === 'US')).toEqual({ country: 'US', rateBp: 725, label: { en: 'Sales tax' } });
    expect(s.taxRates.some((r) => r.country === 'ES')).toBe(false);
    expect(await t.db.collection('audit_log').countDocuments({ action: 'taxes.update' })).toBe(1);
  });

  it('shows the differences instead of overwriting taxes saved meanwhile (409)', async () => {
    const mine = await admin.get('/admin/taxes');
    const theirs = await admin.get('/admin/taxes');
    expect((await admin.submitForm(theirs, 'form.tax-form', { r0_rate: '10' })).status).toBe(303);
    const stale = await admin.submitForm(mine, 'form.tax-form', { r0_rate: '11' });
    expect(stale.status).toBe(409);
    expect(stale.html().querySelectorAll('.conflict-diff tbody tr').find((r) => r.querySelector('code')?.text === 'r0_rate')?.querySelector('.current')?.text).toBe('10');
    expect((await settings()).taxRates[0]?.rateBp).toBe(1000);
  });

  it('is for admins only: staff and customers get 403, visitors the login page, a missing CSRF token 403', async () => {
    const token = csrfOf(await staff.get('/admin'));
    for (const url of ['/admin/shipping', '/admin/shipping/new', '/admin/shipping/standard', '/admin/taxes']) {
      expect((await staff.get(url)).status, url).toBe(403);
      expect((await new TestAgent(t.app).get(url)).location, url).toMatch(/^\/login/);
    }
    const before = await settings();
    expect((await staff.post('/admin/taxes', { _csrf: token, pricesIncludeTax: 'inclusive', rows: '0' })).status).toBe(403);
    expect((await staff.post('/admin/shipping/standard/delete', { _csrf: token })).status).toBe(403);
    const { agent: customer } = await signedInAgent(t, 'customer');
    expect((await customer.post('/admin/shipping/countries', { _csrf: csrfOf(await customer.get('/account')), countries: 'PT' })).status).toBe(403);
    expect((await admin.post('/admin/shipping/countries', { countries: 'PT', version: '1' })).status).toBe(403);
    expect(await settings()).toEqual(before);
  });
});
