import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { csrfOf, signedInAgent } from './admin-fixtures.js';

describe('admin settings', () => {
  let t: TestApp;
  let admin: TestAgent;
  let staff: TestAgent;

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await signedInAgent(t, 'admin')).agent;
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  it('saves valid settings and shows them again', async () => {
    const form = await admin.get('/admin/settings');
    expect(form.status).toBe(200);
    const saved = await admin.submitForm(form, 'form.settings-form', { timeZone: 'Europe/Lisbon', lowStockThreshold: '7', enforceTwoFactor: [] });
    expect(saved.status).toBe(303);
    const after = await admin.follow(saved);
    expect(after.html().querySelector('.flash')?.text).toBe('Settings saved.');
    expect(after.html().querySelector('#f-timeZone')?.getAttribute('value')).toBe('Europe/Lisbon');
    expect(after.html().querySelector('#f-lowStockThreshold')?.getAttribute('value')).toBe('7');
    expect(await t.services.admin.settings.get()).toEqual({ timeZone: 'Europe/Lisbon', lowStockThreshold: 7, enforceTwoFactor: false });
  });

  it('re-renders invalid input with 422, the messages beside the fields and the input kept', async () => {
    const form = await admin.get('/admin/settings');
    const page = await admin.submitForm(form, 'form.settings-form', { timeZone: 'Mars/Olympus', lowStockThreshold: '-3' });
    expect(page.status).toBe(422);
    const doc = page.html();
    expect(doc.querySelector('#e-timeZone')?.text).toBe('This is not a known time zone.');
    expect(doc.querySelector('#e-lowStockThreshold')?.text).toBe('Enter a whole number of units (0 or more).');
    expect(doc.querySelector('#f-timeZone')?.getAttribute('value')).toBe('Mars/Olympus');
    expect((await t.services.admin.settings.get()).timeZone).toBe('Europe/Lisbon');
    const tooLong = await admin.post('/admin/settings', { _csrf: csrfOf(form), timeZone: 'x'.repeat(100), lowStockThreshold: '1' });
    expect(tooLong.status).toBe(422);
  });

  it('refuses a missing CSRF token and the staff role', async () => {
    expect((await admin.post('/admin/settings', { timeZone: 'UTC', lowStockThreshold: '1' })).status).toBe(403);
    const token = csrfOf(await staff.get('/admin'));
    expect((await staff.post('/admin/settings', { _csrf: token, timeZone: 'UTC', lowStockThreshold: '1' })).status).toBe(403);
    expect((await t.services.admin.settings.get()).lowStockThreshold).toBe(7);
  });
});
