import nodemailer, { type Transporter } from 'nodemailer';
import { ObjectId } from 'mongodb';
import type { Locale } from '../../i18n/locales.js';
import type { OutboxMessage, OutboxRepository } from './outbox-repository.js';
import { renderMail, type MailTemplate } from './templates.js';

export interface MailServiceDeps {
  outbox: OutboxRepository;
  /** smtp(s):// URL: messages go through that server. Unset: they are kept in the outbox collection. */
  smtpUrl?: string;
  from?: string;
  clock: () => Date;
}

export interface SendRequest {
  to: string;
  template: MailTemplate;
  locale: Locale;
  data: Record<string, string | number>;
}

/** A message another module rendered itself (its own templates, e.g. views/orders/mail/*). */
export interface RenderedRequest {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Its name in the outbox (e.g. "order-confirmation"). */
  template: string;
}

export type MailTransportKind = 'smtp' | 'outbox';

export function createMailService({ outbox, smtpUrl, from = 'Vitrine <no-reply@localhost>', clock }: MailServiceDeps) {
  const transport: Transporter | undefined = smtpUrl === undefined ? undefined : nodemailer.createTransport(smtpUrl);
  return {
    transport: (smtpUrl === undefined ? 'outbox' : 'smtp') as MailTransportKind,

    /** Renders the template (text + HTML, in `locale`) and sends it, or files it in the outbox. */
    async send(request: SendRequest): Promise<void> {
      const mail = await renderMail(request.template, request.locale, request.data);
      if (transport) {
        await transport.sendMail({ from, to: request.to, subject: mail.subject, text: mail.text, html: mail.html });
        return;
      }
      await outbox.insert({ ...mail, from, to: request.to, template: request.template, createdAt: clock() });
    },

    /** Sends an already rendered message through the same path as send (SMTP_URL or the outbox). */
    async sendRendered(message: RenderedRequest): Promise<void> {
      if (transport) {
        await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html });
        return;
      }
      await outbox.insert({ ...message, from, createdAt: clock() });
    },

    latest(limit = 50): Promise<OutboxMessage[]> {
      return outbox.latest(limit);
    },

    async find(id: string): Promise<OutboxMessage | null> {
      return ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? outbox.find(new ObjectId(id)) : null;
    },

    close(): void {
      transport?.close();
    },
  };
}

export type MailService = ReturnType<typeof createMailService>;
