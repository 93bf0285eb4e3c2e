import type { Locale } from './i18n/locales.js';
import type { MessageParams, Translate } from './i18n/translate.js';

/** Fastify type augmentations for what the plugins decorate. One place, so they are easy to find. */

export type FlashType = 'success' | 'info' | 'error';

export interface FlashMessage {
  type: FlashType;
  /** Translation key, rendered on the next page in that page's locale. */
  key: string;
  params?: MessageParams;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The negotiated locale (src/plugins/i18n.ts). */
    locale: Locale;
    /** Translator for request.locale. */
    t: Translate;
  }

  interface FastifyReply {
    /**
     * Renders views/<template>.eta with the shared layout data (t, asset, csrf, flash, …) plus `model`
     * and sends it as HTML. src/plugins/view.ts.
     */
    render(template: string, model?: Record<string, unknown>): Promise<FastifyReply>;
    /** Queues a message for the next rendered page (survives a redirect). src/plugins/flash.ts. */
    flash(type: FlashType, key: string, params?: MessageParams): void;
    /** Data that hooks add for every view of this request (e.g. cartCount). Merged before the model. */
    locals: Record<string, unknown>;
  }

  interface FastifyContextConfig {
    /** Set `csrf: false` on a non-GET route that must accept requests without a CSRF token (webhooks). */
    csrf?: boolean;
  }

  interface Session {
    flash?: FlashMessage[];
    _csrf?: string;
  }
}
