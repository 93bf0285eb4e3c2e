import { Eta } from 'eta';
import { createTranslator } from '../../i18n/translate.js';
import { formatDate } from '../../lib/format.js';
import { formatMoney, type Money } from '../../lib/money.js';
import { viewsDir } from '../../paths.js';
import type { OrderLinks } from './links.js';
import type { PlacedOrder } from './types.js';

/**
 * Order emails in the buyer's language (the locale of the placing request), rendered from
 * views/orders/mail/<name>.{text,html}.eta and handed to a delivery function (the mail module).
 */

export interface RenderedMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
}

export type Deliver = (message: RenderedMessage) => Promise<void>;

export interface MailSite {
  baseUrl: string;
  links: OrderLinks;
}

const textEta = new Eta({ views: viewsDir, autoEscape: false, autoTrim: false, cache: true });
const htmlEta = new Eta({ views: viewsDir, autoEscape: true, cache: true });

export function createOrderMailer(deliver: Deliver) {
  let site: MailSite | undefined;
  return {
    /** The shop's address and link signer, known once the web app is configured. */
    configure(value: MailSite): void {
      site = value;
    },
    async sendConfirmation(order: PlacedOrder): Promise<void> {
      if (!site) throw new Error('order mailer used before configure()');
      const t = createTranslator(order.locale);
      const model = {
        order,
        t,
        locale: order.locale,
        orderUrl: site.baseUrl + site.links.orderPath(order._id.toHexString()),
        money: (m: Money) => formatMoney(m, order.locale),
        date: (d: Date) => formatDate(d, order.locale),
        tr: (text: Record<string, string | undefined> & { en: string }) => text[order.locale] ?? text.en,
      };
      const subject = t('orders.mail.confirmation.subject', { number: String(order.number) });
      const [text, html] = await Promise.all([
        textEta.renderAsync('/orders/mail/confirmation.text.eta', { ...model, subject }),
        htmlEta.renderAsync('/orders/mail/confirmation.html.eta', { ...model, subject }),
      ]);
      await deliver({ to: order.email, subject, text: text.trim() + '\n', html, template: 'order-confirmation' });
    },
  };
}

export type OrderMailer = ReturnType<typeof createOrderMailer>;
