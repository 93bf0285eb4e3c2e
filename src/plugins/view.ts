import fp from 'fastify-plugin';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANGUAGE_LABEL_KEYS, LOCALES } from '../i18n/locales.js';
import { formatDate, formatDateTime, formatNumber } from '../lib/format.js';
import { formatMoney, type Money } from '../lib/money.js';
import type { FlashMessage } from '../types.js';
import type { AssetManifest } from '../web/assets.js';

export interface NavItem {
  href: string;
  /** Translation key of the label. */
  labelKey: string;
}

export interface ViewOptions {
  viewsDir: string;
  /** Cache compiled templates (production). */
  production: boolean;
  assets: AssetManifest;
  /** Main navigation, from the modules (AppModule.nav). */
  nav: readonly NavItem[];
}

/** Flash messages are read once: taking them removes them from the session. */
function takeFlashes(request: FastifyRequest): FlashMessage[] {
  const session: unknown = request.session;
  if (typeof session !== 'object' || session === null || !('flash' in session)) return [];
  const messages = request.session.flash ?? [];
  delete request.session.flash;
  return messages;
}

/** The CSRF helpers exist only in the site context (not for static files). */
function csrfTokenFactory(reply: FastifyReply): () => string {
  let token: string | undefined;
  return () => {
    if (token !== undefined) return token;
    token = typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : '';
    return token;
  };
}

/**
 * Eta templates in views/ (auto-escaped `<%= %>`, raw `<%~ %>`, layouts with `<% layout('/layouts/base') %>`,
 * partials with `include('/partials/x', data)`), and reply.render(template, model), which adds
 * the data every page needs: t, locale, asset(), csrfToken(), flashes, nav, formatters.
 */
export default fp<ViewOptions>(
  async (app, options) => {
    const eta = new Eta({ views: options.viewsDir, cache: options.production, autoEscape: true });
    await app.register(view, { engine: { eta }, root: options.viewsDir, production: options.production });

    app.decorateReply('render', async function render(this: FastifyReply, template: string, model = {}) {
      const request = this.request;
      const { t, locale } = request;
      const base = {
        t,
        locale,
        locales: LOCALES.map((code) => ({ code, label: t(LANGUAGE_LABEL_KEYS[code]) })),
        asset: (path: string) => options.assets.url(path),
        csrfToken: csrfTokenFactory(this),
        currentPath: request.url,
        flashes: takeFlashes(request),
        nav: options.nav,
        cartCount: null,
        account: null,
        year: String(new Date().getFullYear()),
        formatMoney: (value: Money) => formatMoney(value, locale),
        formatDate: (value: Date) => formatDate(value, locale),
        formatDateTime: (value: Date) => formatDateTime(value, locale),
        formatNumber: (value: number) => formatNumber(value, locale),
      };
      const html = await app.view(template, { ...base, ...this.locals, ...model });
      // Pages carry CSRF tokens and per-visitor content: no shared caching.
      this.header('content-type', 'text/html; charset=utf-8');
      this.header('cache-control', 'private, no-cache');
      this.header('vary', 'Accept-Language, Cookie');
      return this.send(html);
    });
  },
  { name: 'view', dependencies: ['i18n'] },
);
