import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LANGUAGE_LABEL_KEYS, LOCALES } from '../i18n/locales.js';
import { formatDate, formatDateTime, formatNumber } from '../lib/format.js';
import { formatMoney, type Money } from '../lib/money.js';
import type { FlashMessage } from '../types.js';
import type { AssetManifest } from '../web/assets.js';
import { LANG_PARAM } from './i18n.js';

/** A header link: `labelKey` is translated; `label` is text already in the page's language (database menus). */
export type NavItem = { href: string; labelKey: string; label?: undefined } | { href: string; label: string; labelKey?: undefined };

/** The per-visitor parts of a page: everything else is the same for every visitor of that URL and language. */
export const HOLES = ['csrf', 'actions', 'flash'] as const;
export type Hole = (typeof HOLES)[number];

/**
 * A page rendered once for every visitor: the HTML split at its holes (parts.length = holes.length + 1).
 * reply.sendShell fills the holes for the current visitor. Used by the page cache of the storefront.
 */
export interface PageShell {
  /** UTF-8 once, at render: a cached page is copied per request, never encoded again. */
  parts: Buffer[];
  holes: Hole[];
  /** Size of the fixed parts, for the cache's memory bound. */
  bytes: number;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders like render() but leaves the per-visitor parts (CSRF token, account/cart links, flash) as holes. */
    renderShell(template: string, model?: Record<string, unknown>): Promise<PageShell>;
    /** Sends a shell with its holes filled for this request (same HTML as render() would give). */
    sendShell(shell: PageShell): FastifyReply;
  }
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

export function withoutLangParam(url: string): string {
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.delete(LANG_PARAM);
  return parsed.pathname + parsed.search;
}

/**
 * Indentation and blank lines between lines of markup, collapsed to one newline (the browser shows
 * any whitespace run as one space anyway); <pre> and <textarea> keep theirs. About 7% of a page.
 */
export function collapseWhitespace(html: string): string {
  return html
    .split(/(<(?:pre|textarea)\b[\s\S]*?<\/(?:pre|textarea)>)/i)
    .map((piece, i) => (i % 2 === 1 ? piece : piece.replace(/[ \t]*\n\s*/g, '\n')))
    .join('');
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

    // Hole markers carry a per-process random nonce: no stored text can forge one.
    const nonce = randomBytes(9).toString('base64url');
    const marker = (hole: Hole) => `\u{E000}${nonce}:${hole}\u{E001}`;
    const markerPattern = new RegExp(`\u{E000}${nonce}:(${HOLES.join('|')})\u{E001}`, 'u');

    function baseModel(reply: FastifyReply): Record<string, unknown> {
      const request = reply.request;
      const { t, locale } = request;
      return {
        t,
        locale,
        locales: LOCALES.map((code) => ({ code, label: t(LANGUAGE_LABEL_KEYS[code]) })),
        asset: (path: string) => options.assets.url(path),
        csrfToken: csrfTokenFactory(reply),
        currentPath: request.url,
        // Where the language form returns to: without ?lang=, which would override the new choice.
        returnPath: request.langParam === null ? request.url : withoutLangParam(request.url),
        flashes: [],
        nav: options.nav,
        cartCount: null,
        account: null,
        year: String(new Date().getFullYear()),
        formatMoney: (value: Money) => formatMoney(value, locale),
        formatDate: (value: Date) => formatDate(value, locale),
        formatDateTime: (value: Date) => formatDateTime(value, locale),
        formatNumber: (value: number) => formatNumber(value, locale),
      };
    }

    function sendHtml(reply: FastifyReply, html: string | Buffer): FastifyReply {
      // Pages carry CSRF tokens and per-visitor content: no shared caching.
      reply.header('content-type', 'text/html; charset=utf-8');
      reply.header('cache-control', 'private, no-cache');
      reply.header('vary', 'Accept-Language, Cookie');
      return reply.send(html);
    }

    app.decorateReply('render', async function render(this: FastifyReply, template: string, model = {}) {
      const data = { ...baseModel(this), flashes: takeFlashes(this.request), ...this.locals, ...model };
      return sendHtml(this, await app.view(template, data));
    });

    app.decorateReply('renderShell', async function renderShell(this: FastifyReply, template: string, model = {}): Promise<PageShell> {
      // Visitor-specific locals (account, cart) are left out: they go in the holes.
      const data = { ...baseModel(this), ...model, csrfToken: () => marker('csrf'), hole: marker };
      const pieces = collapseWhitespace(await app.view(template, data)).split(markerPattern);
      const parts = pieces.filter((_, i) => i % 2 === 0).map((p) => Buffer.from(p, 'utf8'));
      const holes = pieces.filter((_, i) => i % 2 === 1) as Hole[];
      return { parts, holes, bytes: parts.reduce((n, p) => n + p.length, 0) };
    });

    app.decorateReply('sendShell', function sendShell(this: FastifyReply, shell: PageShell): FastifyReply {
      const token = csrfTokenFactory(this);
      const { t } = this.request;
      const locals = this.locals ?? {};
      let actions: Buffer | undefined;
      const chunks: Buffer[] = [];
      for (let i = 0; i < shell.parts.length; i++) {
        chunks.push(shell.parts[i] as Buffer);
        const hole = shell.holes[i];
        if (hole === undefined) break;
        if (hole === 'csrf') chunks.push(Buffer.from(token(), 'latin1'));
        else if (hole === 'actions') chunks.push((actions ??= Buffer.from(eta.render('/partials/header-actions', { t, cartCount: null, account: null, ...locals }), 'utf8')));
        else {
          const flashes = takeFlashes(this.request);
          if (flashes.length > 0) chunks.push(Buffer.from(eta.render('/partials/flash', { t, flashes }), 'utf8'));
        }
      }
      return sendHtml(this, Buffer.concat(chunks));
    });
  },
  { name: 'view', dependencies: ['i18n'] },
);
