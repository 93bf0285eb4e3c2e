import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type { MessageParams } from '../i18n/translate.js';
import type { FlashMessage, FlashType } from '../types.js';

/**
 * At most this many messages wait in a session. A client that posts forms without ever loading the
 * page they redirect to (a script, a double-clicking user) would otherwise grow its session — and
 * the cost of loading and saving it on every request — without bound.
 */
export const MAX_FLASHES = 5;

function sameMessage(a: FlashMessage, b: FlashMessage): boolean {
  return a.type === b.type && a.key === b.key && JSON.stringify(a.params ?? null) === JSON.stringify(b.params ?? null);
}

/**
 * reply.flash('success', 'some.key') before a redirect; the next rendered page shows it once
 * (views/partials/flash.eta; reading happens in reply.render). Kept in the session; a message
 * already waiting is not added twice, and only the newest MAX_FLASHES are kept.
 */
export default fp(
  async (app) => {
    app.decorateReply('flash', function flash(this: FastifyReply, type: FlashType, key: string, params?: MessageParams) {
      const session = this.request.session;
      const message: FlashMessage = params === undefined ? { type, key } : { type, key, params };
      const waiting = (session.flash ?? []).filter((m) => !sameMessage(m, message));
      session.flash = [...waiting, message].slice(-MAX_FLASHES);
    });
  },
  { name: 'flash', dependencies: ['session'] },
);
