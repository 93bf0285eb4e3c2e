import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import { requireStaff } from '../../plugins/auth.js';
import type { AppModule, ModuleContext } from '../types.js';
import { outboxIndexes } from './outbox-repository.js';

/** /admin/outbox: the mail kept when no SMTP server is configured (staff only; minimal until the back office). */
const routes: FastifyPluginAsync<ModuleContext> = async (app, { config, services }) => {
  const { mail } = services;
  if (mail.transport === 'outbox' && config.smtpUrl !== undefined) {
    app.log.warn('mail: SMTP_URL is set but the services were built without it (createServices needs smtpUrl): mail goes to the outbox');
  } else if (mail.transport === 'outbox') {
    // The one line that tells a developer where the reset links etc. went.
    app.log.info(
      { outbox: `${config.baseUrl}/admin/outbox` },
      `mail: no SMTP_URL set, emails are kept in the outbox: read them at ${config.baseUrl}/admin/outbox (staff only; npm run create-admin -- --email you@example.com)`,
    );
  }

  app.addHook('preHandler', requireStaff);

  app.get('/admin/outbox', async (request, reply) => {
    const messages = await mail.latest(50);
    return reply.render('mail/outbox', { title: request.t('mail.outbox.title'), messages });
  });

  app.get('/admin/outbox/:id', async (request, reply) => {
    const message = await mail.find((request.params as { id: string }).id);
    if (!message) throw new NotFoundError('No such message');
    return reply.render('mail/outbox-message', { title: message.subject, message });
  });

  // The HTML part on its own, sandboxed: no script, no same-origin access, no forms.
  app.get('/admin/outbox/:id/html', async (request, reply) => {
    const message = await mail.find((request.params as { id: string }).id);
    if (!message) throw new NotFoundError('No such message');
    reply.header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    reply.header('cache-control', 'private, no-store');
    return reply.type('text/html; charset=utf-8').send(message.html);
  });
};

export const mailModule: AppModule = { name: 'mail', routes, indexes: outboxIndexes };
