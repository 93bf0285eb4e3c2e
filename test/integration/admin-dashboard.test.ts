import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HTMLElement } from 'node-html-parser';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { insertProduct } from '../fixtures/shop-data.js';
import { insertOrder, signedInAgent } from './admin-fixtures.js';

const text = (el: HTMLElement | null) => (el?.text ?? '').replace(/\s+/g, ' ').trim();

describe('admin dashboard', () => {
  let t: TestApp;
  let admin: TestAgent;
  const mug = new ObjectId();
  const lamp = new ObjectId();

  beforeAll(async () => {
    t = await createTestApp();
    admin = (await signedInAgent(t, 'admin')).agent;
    // São Paulo is UTC−3 all year: 02:30 UTC on the 10th is still the 9th there.
    const settings = await admin.get('/admin/settings');
    const saved = await admin.submitForm(settings, 'form.settings-form', { timeZone: 'America/Sao_Paulo', lowStockThreshold: '3' });
    expect(saved.status).toBe(303);
    await insertOrder(t.db, { placedAt: new Date('2026-03-10T02:30:00Z'), total: 1000, status: 'paid', lines: [{ productId: mug, title: 'Mug', qty: 2, amount: 1000 }] });
    await insertOrder(t.db, {
      placedAt: new Date('2026-03-10T03:30:00Z'), total: 2500, status: 'fulfilled',
      lines: [{ productId: lamp, title: 'Lamp', qty: 1, amount: 2000 }, { productId: mug, title: 'Mug', qty: 1, amount: 500 }],
    });
    await insertOrder(t.db, { placedAt: new Date('2026-03-10T12:00:00Z'), total: 500, status: 'pending_payment', lines: [{ productId: mug, title: 'Mug', qty: 1, amount: 500 }] });
    // Not sales: cancelled, another currency, outside the range (after the 10th ends in São Paulo).
    await insertOrder(t.db, { placedAt: new Date('2026-03-10T15:00:00Z'), total: 9999, status: 'cancelled' });
    await insertOrder(t.db, { placedAt: new Date('2026-03-10T15:00:00Z'), total: 7777, currency: 'USD', status: 'completed' });
    await insertOrder(t.db, { placedAt: new Date('2026-03-11T03:00:00Z'), total: 3333, status: 'completed' });
    // The previous period of 9–10 March is 7–8 March.
    await insertOrder(t.db, { placedAt: new Date('2026-03-08T10:00:00Z'), total: 2000, status: 'completed' });
    await insertProduct(t.db, { title: 'Almost gone', variants: [{ stock: 2, sku: 'LOW-1' }, { stock: 40, sku: 'PLENTY-1' }] });
  });
  afterAll(async () => t?.close());

  it('shows revenue and orders per day in the shop time zone, with totals against the previous period', async () => {
    const page = await admin.get('/admin?from=2026-03-09&to=2026-03-10');
    expect(page.status).toBe(200);
    const doc = page.html();
    const rows = doc.querySelectorAll('.sales-table tbody tr').map((tr) => tr.querySelectorAll('th, td').map((c) => text(c)));
    expect(rows).toEqual([
      ['2026-03-09', '1', '€10.00'],
      ['2026-03-10', '2', '€30.00'],
    ]);
    const kpi = (name: string) => text(doc.querySelector(`[data-kpi=${name}] .value`));
    expect(kpi('revenue')).toBe('€40.00');
    expect(kpi('orders')).toBe('3');
    expect(text(doc.querySelector('[data-kpi=revenue] .change'))).toBe('+100 %');
    expect(text(doc.querySelector('[data-kpi=revenue] .previous'))).toBe('Previous period: €20.00');
    expect(text(doc.querySelector('[data-kpi=orders] .change'))).toBe('+200 %');
  });

  it('draws an accessible SVG chart with one bar per day', async () => {
    const doc = (await admin.get('/admin?from=2026-03-09&to=2026-03-10')).html();
    const svg = doc.querySelector('svg.revenue-chart');
    expect(svg?.getAttribute('role')).toBe('img');
    expect(svg?.getAttribute('aria-labelledby')).toBe('chart-title chart-desc');
    expect(text(doc.querySelector('#chart-title'))).toBe('Revenue per day from 2026-03-09 to 2026-03-10');
    const bars = doc.querySelectorAll('svg.revenue-chart rect.bar');
    expect(bars).toHaveLength(2);
    const heights = bars.map((b) => Number(b.getAttribute('height')));
    expect(heights[1]).toBeGreaterThan(heights[0] ?? Infinity);
    expect(text(bars[1]?.querySelector('title') ?? null)).toBe('2026-03-10: €30.00 · 2 orders');
  });

  it('ranks products by revenue and lists orders awaiting action and low stock', async () => {
    const doc = (await admin.get('/admin?from=2026-03-09&to=2026-03-10')).html();
    const top = doc.querySelectorAll('.top-products tbody tr').map((tr) => tr.querySelectorAll('td').map((c) => text(c)));
    expect(top).toEqual([
      ['Mug', '4', '€20.00'],
      ['Lamp', '1', '€20.00'],
    ]);
    expect(text(doc.querySelector('[data-status=pending_payment] strong'))).toBe('1');
    expect(text(doc.querySelector('[data-status=paid] strong'))).toBe('1');
    const low = doc.querySelectorAll('.low-stock tbody tr').map((tr) => tr.querySelectorAll('td').map((c) => text(c)));
    expect(low).toEqual([['Almost gone', 'LOW-1', '2']]);
  });

  it('defaults to the last 30 days and rejects a bad range with 422 beside the field', async () => {
    const page = await admin.get('/admin');
    expect(page.status).toBe(200);
    expect(page.html().querySelectorAll('.sales-table tbody tr')).toHaveLength(30);
    const bad = await admin.get('/admin?from=2026-03-10&to=2026-03-01');
    expect(bad.status).toBe(422);
    expect(text(bad.html().querySelector('#e-to'))).toBe('The end date must not be before the start date.');
    expect(bad.html().querySelector('#f-from')?.getAttribute('value')).toBe('2026-03-10');
    const junk = await admin.get('/admin?from=yesterday&to[x]=1');
    expect(junk.status).toBe(422);
  });
});
