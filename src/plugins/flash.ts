import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type { MessageParams } from '../i18n/translate.js';
import type { FlashType } from '../types.js';

/**
 * reply.flash('success', 'some.key') before a redirect; the next rendered page shows it once
 * (views/partials/flash.eta; reading happens in reply.render). Kept in the session.
 */
export default fp(
  async (app) => {
    app.decorateReply('flash', function flash(this: FastifyReply, type: FlashType, key: string, params?: MessageParams) {
      const session = this.request.session;
      session.flash = [...(session.flash ?? []), params === undefined ? { type, key } : { type, key, params }];
    });
  },
  { name: 'flash', dependencies: ['session'] },
);
