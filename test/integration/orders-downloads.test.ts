import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDoc, PlacedOrder } from '../../src/modules/orders/types.js';
import { insertProduct, readyCart, variantOf } from '../fixtures/shop-data.js';
import { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Digital products: the paid email's signed links, the download limit, GridFS streaming, tampering. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const FILE = Buffer.from('%PDF-1.4\nVitrine test e-book, ' + 'x'.repeat(5000));

async function digitalOrder(email: string, maxDownloads = 2): Promise<PlacedOrder> {
  const stored = await t.services.media.storeDownload(FILE, { filename: 'Guia de Lisboa.pdf', contentType: 'application/pdf' });
  const p = await insertProduct(t.db, { title: 'Lisbon guide', variants: [{ stock: 50 }], digital: { fileId: stored.fileId, fileName: stored.fileName, maxDownloads } });
  const { cartId, token } = await readyCart(t.services, [{ variantId: variantOf(p)._id, qty: 1 }], { email });
  const r = await t.services.checkout.place({ cartId, token, userId: null, locale: 'en', paymentMethod: 'bank_transfer' });
  if (r.kind !== 'placed') throw new Error(`not placed: ${r.kind}`);
  return r.order;
}

/** The download path of the "payment received" email sent to `email`. */
async function mailedLink(email: string): Promise<string> {
  const mail = await t.db.collection('outbox').findOne({ to: email, template: 'order-paid' });
  const url = /https?:\/\/\S+\/downloads\/\S+/.exec(mail?.text ?? '')?.[0];
  if (!url) throw new Error(`no download link mailed to ${email}`);
  const u = new URL(url);
  return u.pathname + u.search;
}

describe('digital downloads', () => {
  it('mails signed links after payment; streams the file with Content-Disposition, up to the limit', async () => {
    const order = await digitalOrder('reader@example.com', 2);
    const stranger = new TestAgent(t.app);
    // Not paid yet: no "payment received" mail, and a correctly signed link is refused.
    expect(await t.db.collection('outbox').countDocuments({ to: 'reader@example.com', template: 'order-paid' })).toBe(0);
    const early = t.services.orders.links()?.downloadPath(order._id.toHexString(), 0, new Date(Date.now() + 3600_000)) ?? '';
    expect((await stranger.get(early)).status).toBe(403);

    expect(await t.services.orders.markPaid(order._id, 'staff')).not.toBeNull();
    const mail = await t.db.collection('outbox').findOne({ to: 'reader@example.com', template: 'order-paid' });
    expect(mail?.subject).toBe(`Payment received for order ${order.number}`);
    expect(mail?.html).toContain('/downloads/');
    const link = await mailedLink('reader@example.com');

    const first = await stranger.get(link);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.headers['content-disposition']).toBe(`attachment; filename="Guia de Lisboa.pdf"; filename*=UTF-8''Guia%20de%20Lisboa.pdf`);
    expect(first.headers['cache-control']).toBe('private, no-store');
    expect(Buffer.from(first.body, 'latin1').length).toBe(FILE.length);
    expect(first.body).toBe(FILE.toString('latin1'));
    expect((await stranger.get(link)).status).toBe(200);
    // The third download passes the limit of 2.
    const third = await stranger.get(link);
    expect(third.status).toBe(403);
    expect(third.html().querySelector('main')?.text).toContain('You have used all downloads of this purchase');
    const stored = await t.db.collection<OrderDoc>('orders').findOne({ _id: order._id });
    expect(stored?.lines[0]?.digital?.downloads).toBe(2);
  });

  it('refuses tampered, foreign and expired links', async () => {
    const mine = await digitalOrder('mine@example.com', 5);
    const theirs = await digitalOrder('theirs@example.com', 5);
    await t.services.orders.markPaid(mine._id, 'staff');
    await t.services.orders.markPaid(theirs._id, 'staff');
    const link = await mailedLink('mine@example.com');
    const agent = new TestAgent(t.app);
    const url = new URL(link, 'http://x');
    const sig = url.searchParams.get('sig') ?? '';
    const exp = url.searchParams.get('exp') ?? '';

    // Another customer's order with my signature, another line, a later expiry, a changed signature.
    expect((await agent.get(`/downloads/${theirs._id.toHexString()}/0?exp=${exp}&sig=${sig}`)).status).toBe(404);
    expect((await agent.get(`/downloads/${mine._id.toHexString()}/1?exp=${exp}&sig=${sig}`)).status).toBe(404);
    expect((await agent.get(`/downloads/${mine._id.toHexString()}/0?exp=${Number(exp) + 86_400}&sig=${sig}`)).status).toBe(404);
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect((await agent.get(`/downloads/${mine._id.toHexString()}/0?exp=${exp}&sig=${flipped}`)).status).toBe(404);
    // Malformed input is a 4xx, never a 500.
    expect((await agent.get(`/downloads/${mine._id.toHexString()}/0?exp=abc&sig=${sig}`)).status).toBe(422);
    expect((await agent.get(`/downloads/not-an-id/0?exp=${exp}&sig=${sig}`)).status).toBe(422);

    // A genuine link past its expiry: 403 with the translated message.
    const expired = t.services.orders.links()?.downloadPath(mine._id.toHexString(), 0, new Date(Date.now() - 1000)) ?? '';
    const old = await agent.get(expired);
    expect(old.status).toBe(403);
    expect(old.html().querySelector('main')?.text).toContain('This download link has expired');
    // None of these counted as a download.
    const stored = await t.db.collection<OrderDoc>('orders').findOne({ _id: mine._id });
    expect(stored?.lines[0]?.digital?.downloads).toBe(0);
  });

  it('the paid order page offers fresh links with the downloads left', async () => {
    const order = await digitalOrder('page@example.com', 3);
    await t.services.orders.markPaid(order._id, 'staff');
    const agent = new TestAgent(t.app);
    const pagePath = t.services.orders.links()?.orderPath(order._id.toHexString()) ?? '';
    const page = await agent.get(pagePath);
    expect(page.status).toBe(200);
    const link = page.html().querySelector('.downloads a');
    expect(link?.text).toBe('Lisbon guide');
    expect(page.html().querySelector('.downloads .hint')?.text).toBe('3 downloads left');
    const file = await agent.get(link?.getAttribute('href') ?? '');
    expect(file.status).toBe(200);
    expect((await agent.get(pagePath)).html().querySelector('.downloads .hint')?.text).toBe('2 downloads left');
  });
});
