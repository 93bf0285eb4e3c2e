import { describe, expect, it } from 'vitest';
import type { FastifySessionObject } from '@fastify/session';
import { lazySession } from '../../src/plugins/lazy-session.js';

/** A stand-in for @fastify/session's Session: data fields plus methods that use `this`. */
class FakeSession {
  cookie = { maxAge: 1000 };
  sessionId = 'id-1';
  saved = false;
  save(): string {
    this.saved = true;
    return this.sessionId;
  }
}

function make() {
  let created = 0;
  let real: FakeSession | undefined;
  const session = lazySession(() => {
    created++;
    real = new FakeSession();
    return real as unknown as FastifySessionObject;
  }) as unknown as Record<string, unknown> & { save(): string };
  return { session, created: () => created, real: () => real };
}

describe('lazy session', () => {
  it('answers reads of data fields as absent without creating a session', () => {
    const { session, created } = make();
    expect(session.cartId).toBeUndefined();
    expect('flash' in session).toBe(false);
    expect(delete session.flash).toBe(true);
    expect(Object.keys(session)).toEqual([]);
    expect(created()).toBe(0);
  });

  it('creates the session once on the first write and forwards everything to it', () => {
    const { session, created, real } = make();
    session.cartId = 'abc';
    session.flash = ['x'];
    expect(created()).toBe(1);
    expect(real()).toMatchObject({ cartId: 'abc', flash: ['x'] });
    expect(session.cartId).toBe('abc');
    expect('cartId' in session).toBe(true);
    delete session.cartId;
    expect(real()?.['cartId' as keyof FakeSession]).toBeUndefined();
    expect(created()).toBe(1);
  });

  it('creates the session for its API (cookie, id, methods), methods running on the real one', () => {
    const { session, created, real } = make();
    expect(session.sessionId).toBe('id-1');
    expect(created()).toBe(1);
    expect(session.save()).toBe('id-1');
    expect(real()?.saved).toBe(true);
  });
});
