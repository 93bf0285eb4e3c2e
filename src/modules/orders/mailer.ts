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
      const shop = configured();
      await send(order, 'confirmation', 'order-confirmation', 'orders.mail.confirmation.subject', modelOf(order, shop));
    },
    /** After payment: a thank-you, with signed, expiring links to the digital goods. */
    async sendPaymentReceived(order: PlacedOrder, downloadHours: number, now: Date): Promise<void> {
      const shop = configured();
      const id = order._id.toHexString();
      const expires = new Date(now.getTime() + downloadHours * 3600_000);
      const downloads = order.lines.flatMap((l, i) => (l.digital ? [{ title: l.title, url: shop.baseUrl + shop.links.downloadPath(id, i, expires) }] : []));
      await send(order, 'paid', 'order-paid', 'orders.mail.paid.subject', { ...modelOf(order, shop), downloads, hours: String(downloadHours) });
    },
    /** The order left the shop: carrier and tracking number (views/orders/mail/shipped.*). */
    async sendShipped(order: PlacedOrder): Promise<void> {
      const shop = configured();
      await send(order, 'shipped', 'order-shipped', 'orders.mail.shipped.subject', { ...modelOf(order, shop), tracking: order.tracking ?? null });
    },
  };

  function configured(): MailSite {
    if (!site) throw new Error('order mailer used before configure()');
    return site;
  }

  function modelOf(order: PlacedOrder, shop: MailSite) {
    return {
      order,
      locale: order.locale,
      orderUrl: shop.baseUrl + shop.links.orderPath(order._id.toHexString()),
      money: (m: Money) => formatMoney(m, order.locale),
      date: (d: Date) => formatDate(d, order.locale),
      tr: (text: Record<string, string | undefined> & { en: string }) => text[order.locale] ?? text.en,
    };
  }

  /** Renders views/orders/mail/<view>.{text,html}.eta in the buyer's language and delivers it. */
  async function send(order: PlacedOrder, view: string, template: string, subjectKey: string, model: object): Promise<void> {
    const tr = createTranslator(order.locale);
    const subject = tr(subjectKey, { number: String(order.number) });
    const full = { ...model, t: tr, subject };
    const [text, html] = await Promise.all([
      textEta.renderAsync(`/orders/mail/${view}.text.eta`, full),
      htmlEta.renderAsync(`/orders/mail/${view}.html.eta`, full),
    ]);
    await deliver({ to: order.email, subject, text: text.trim() + '\n', html, template });
  }
}

export type OrderMailer = ReturnType<typeof createOrderMailer>;
