import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertProduct, variantOf } from '../fixtures/shop-data.js';
import { TestAgent, type Page } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { GOOD_PASSWORD, login, logout, register, uniqueEmail } from './accounts-fixtures.js';

/** A guest cart joins the customer's saved cart at sign-in, over HTTP, with a visible notice. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function addToCart(agent: TestAgent, variantId: string, qty: string): Promise<Page> {
  // The session's token from the first of these pages with a POST form (an empty cart has none).
  let token = '';
  for (const path of ['/cart', '/login', '/account']) {
    token = (await agent.get(path)).html().querySelector('input[name=_csrf]')?.getAttribute('value') ?? '';
    if (token) break;
  }
  return agent.post('/cart/add', { variantId, qty, _csrf: token });
}

function quantities(page: Page): Record<string, string> {
  return Object.fromEntries(
    page.html().querySelectorAll('tr.cart-line').map((row) => [row.getAttribute('data-variant') ?? '', row.querySelector('input[name=qty]')?.getAttribute('value') ?? '']),
  );
}

describe('cart merge at login', () => {
  it('sums the quantities, caps them at the stock and says so', async () => {
    const a = await insertProduct(t.db, { title: 'Tote bag', variants: [{ stock: 4 }] });
    const b = await insertProduct(t.db, { title: 'Mug', variants: [{ stock: 9 }] });
    const va = variantOf(a)._id.toHexString();
    const vb = variantOf(b)._id.toHexString();
    const email = uniqueEmail('merge');
    const agent = new TestAgent(t.app);
    expect((await register(agent, { email })).status).toBe(303);
    await addToCart(agent, va, '2');
    await logout(agent);
    expect((await agent.get('/cart')).html().querySelector('.cart-empty')).not.toBeNull();

    // As a guest again: 3 more totes (only 2 more exist) and a mug.
    await addToCart(agent, va, '3');
    await addToCart(agent, vb, '1');
    const guestCart = await agent.get('/cart');
    expect(quantities(guestCart)).toEqual({ [va]: '3', [vb]: '1' });
    expect(guestCart.html().querySelector('.cart-signin a')?.getAttribute('href')).toBe('/login?next=/cart');

    const signedIn = await login(agent, email, GOOD_PASSWORD, { next: '/cart' });
    expect(signedIn.location).toBe('/cart');
    const cart = await agent.follow(signedIn);
    expect(quantities(cart)).toEqual({ [va]: '4', [vb]: '1' });
    expect(cart.html().querySelector('.flash-info')?.text.trim()).toBe(
      'Welcome back! We added 3 items from before you signed in to your saved cart; some quantities were limited to the stock available.',
    );
    expect(cart.html().querySelector('.cart-link .badge')?.text.trim()).toBe('5 items');
    // The notice is shown once, and the guest cart is gone (not merged twice).
    const again = await agent.get('/cart');
    expect(again.html().querySelector('.flash-info')).toBeNull();
    expect(quantities(again)).toEqual({ [va]: '4', [vb]: '1' });
    expect(await t.db.collection('carts').countDocuments({ 'lines.variantId': variantOf(a)._id })).toBe(1);
  });

  it('moves a guest cart into an empty saved cart with a success notice (other language)', async () => {
    const p = await insertProduct(t.db, { variants: [{ stock: 10 }] });
    const email = uniqueEmail('merge-es');
    const agent = new TestAgent(t.app, { 'accept-language': 'es' });
    await register(agent, { email });
    await logout(agent);
    await addToCart(agent, variantOf(p)._id.toHexString(), '2');
    const cart = await agent.follow(await login(agent, email, GOOD_PASSWORD, { next: '/cart' }));
    expect(quantities(cart)).toEqual({ [variantOf(p)._id.toHexString()]: '2' });
    expect(cart.html().querySelectorAll('.flash-success').map((f) => f.text.trim())).toContain('¡Hola de nuevo! Añadimos 2 artículos de antes de iniciar sesión a tu carrito guardado.');
  });

  it('says so when the saved cart already held all the stock (nothing added)', async () => {
    const p = await insertProduct(t.db, { variants: [{ stock: 2 }] });
    const v = variantOf(p)._id.toHexString();
    const email = uniqueEmail('merge-full');
    const agent = new TestAgent(t.app);
    await register(agent, { email });
    await addToCart(agent, v, '2');
    await logout(agent);
    await addToCart(agent, v, '1');
    const cart = await agent.follow(await login(agent, email, GOOD_PASSWORD, { next: '/cart' }));
    expect(quantities(cart)).toEqual({ [v]: '2' });
    expect(cart.html().querySelector('.flash-info')?.text.trim()).toBe(
      'Welcome back! Your saved cart already holds all the stock available of the items you added before signing in.',
    );
  });
});
