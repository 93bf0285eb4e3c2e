import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFuzzApp, type FuzzApp } from '../fuzz/app.js';
import { isOffSite } from '../fuzz/checks.js';
import { buildCases, formatReport, runFuzz, type FuzzReport } from '../fuzz/runner.js';
import { seedFuzzShop } from '../fuzz/shop.js';
import { changedCollections, snapshot } from '../fuzz/snapshot.js';

/**
 * Bad input everywhere, the small version: a stratified sample (some of every kind of malformation)
 * of the cases that `npm run fuzz` sends in full (test/fuzz/run.ts, > 10,000 requests).
 */

let t: FuzzApp;
let report: FuzzReport;
beforeAll(async () => {
  t = await createFuzzApp();
  const shop = await seedFuzzShop(t);
  const { forms, cases } = await buildCases(t, shop, { sample: 300, seed: 8 });
  report = await runFuzz(t, shop, cases, forms.length);
  console.log(formatReport(report));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('fuzz (sample)', () => {
  it('sent a sample of every kind of malformed request to the routes and forms of the shop', () => {
    expect(report.routes).toBeGreaterThan(100);
    expect(report.forms).toBeGreaterThan(30);
    expect(report.sent).toBeGreaterThanOrEqual(300);
    expect(report.byClass['4xx'] ?? 0).toBeGreaterThan(report.sent / 2);
  });

  it('answered no 5xx, changed nothing on a rejection, redirected nowhere off-site, rejected with a translated HTML page', () => {
    const failures = report.failures;
    expect(failures, failures.map((f) => `${f.check} ${f.status} ${f.request}: ${f.detail}`).join('\n')).toEqual([]);
  });
});

describe('the fuzz checks themselves', () => {
  it('sees a change in any collection and none when nothing changed', async () => {
    const before = await snapshot(t.db);
    expect(changedCollections(before, await snapshot(t.db))).toEqual([]);
    await t.db.collection('products').updateOne({}, { $set: { fuzzProbe: 1 } });
    await t.db.collection('fuzz_probe').insertOne({ x: 1 });
    expect(changedCollections(before, await snapshot(t.db))).toEqual(['fuzz_probe', 'products']);
    await t.db.collection('products').updateOne({}, { $unset: { fuzzProbe: '' } });
    await t.db.collection('fuzz_probe').drop();
  });

  it('tells local redirects from off-site ones', () => {
    for (const local of ['/', '/account?x=1', '/login?next=%2F%2Fevil.com', 'http://localhost/cart']) expect(isOffSite(local), local).toBe(false);
    for (const evil of ['//evil.com', '/\\evil.com', 'https://evil.com', 'javascript:alert(1)', '/\t/evil.com', '\\\\evil.com', 'https:evil.com']) expect(isOffSite(evil), evil).toBe(true);
  });
});
