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
import { compressBody, deflateParts, fillGzipTemplate, gzipTextTemplate, preferredEncoding, spliceGzip, VARY_ENCODING, type ContentEncoding, type DeflatedParts, type GzipTemplate } from './compression.js';
import { LANG_PARAM } from './i18n.js';

/** A header link: `labelKey` is translated; `label` is text already in the page's language (database menus). */
export type NavItem = { href: string; labelKey: string; label?: undefined } | { href: string; label: string; labelKey?: undefined };

/** The per-visitor parts of a page: everything else is the same for every visitor of that URL and language. */
export const HOLES = ['csrf', 'actions', 'flash'] as const;
export type Hole = (typeof HOLES)[number];
const EMPTY = Buffer.alloc(0);

/**
 * A page rendered once for every visitor: the HTML split at its holes (parts.length = holes.length + 1).
 * reply.sendShell fills the holes for the current visitor. Used by the page cache of the storefront.
 */
export interface PageShell {
  /** UTF-8 once, at render: a cached page is copied per request, never encoded again. */
  parts: Buffer[];
  holes: Hole[];
  /** Size of the fixed parts and of the compressed forms made so far, for the cache's memory bound. */
  bytes: number;
  /** The parts deflated one by one, made on first need: gzip bodies for any fill (spliceGzip). */
  deflated?: DeflatedParts;
  /** The page as every visitor without a session, cart or flash gets it, whole and compressed. */
  common?: CommonBody;
  /** A page with a CSRF token, as gzip with everything but the token spliced once (fillGzipTemplate). */
  tokenOnly?: { fills: Buffer[]; template: GzipTemplate };
}

/** One filling of a shell's holes, with the page it gives in each encoding (made once). */
interface CommonBody {
  fills: Buffer[];
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
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

/** A CSRF token for this reply's forms; '' outside the site context (static files), which has no CSRF helpers. */
function formToken(reply: FastifyReply): string {
  return typeof reply.csrfFormToken === 'function' ? reply.csrfFormToken() : '';
}

/** One token for every form of a page, made when the first form asks. */
function csrfTokenFactory(reply: FastifyReply): () => string {
  let token: string | undefined;
  return () => (token ??= formToken(reply));
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

/** parts[0] fills[0] parts[1] … as one buffer. */
function interleave(parts: readonly Buffer[], fills: readonly Buffer[]): Buffer {
  const chunks: Buffer[] = [];
  parts.forEach((part, i) => {
    chunks.push(part);
    const fill = fills[i];
    if (fill !== undefined && i < parts.length - 1) chunks.push(fill);
  });
  return Buffer.concat(chunks);
}

function commonBody(shell: PageShell, fills: Buffer[]): CommonBody {
  const identity = interleave(shell.parts, fills);
  const common = { fills, identity, ...compressBody(identity) };
  shell.bytes += identity.length + common.gzip.length + common.br.length;
  return common;
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

    function sendHtml(reply: FastifyReply, html: string | Buffer, encoding: ContentEncoding | null = null): FastifyReply {
      // Pages carry CSRF tokens and per-visitor content: no shared caching. A page the route marked
      // no-store (recovery codes, shown once) keeps it: the default must never weaken it.
      reply.header('content-type', 'text/html; charset=utf-8');
      if (!/\bno-store\b/.test(String(reply.getHeader('cache-control') ?? ''))) reply.header('cache-control', 'private, no-cache');
      // Encoded here or by @fastify/compress: the bytes depend on Accept-Encoding in any case.
      reply.header('vary', `${VARY_ENCODING}, accept-language, cookie`);
      if (encoding !== null) reply.header('content-encoding', encoding);
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

    // The header's account and cart links of a visitor without cart or account: the same for
    // everyone in a language, so rendered once per language (and login label).
    const anonymousActions = new Map<string, Buffer>();
    function renderActions(t: unknown, locals: Record<string, unknown>): Buffer {
      return Buffer.from(eta.render('/partials/header-actions', { t, cartCount: null, account: null, ...locals }), 'utf8');
    }
    function actionsFill(reply: FastifyReply): Buffer {
      const { t, locale } = reply.request;
      const locals = reply.locals ?? {};
      const account = locals.account as { href?: unknown; label?: unknown } | null | undefined;
      if (locals.user || typeof locals.cartCount === 'number' || typeof account?.label !== 'string') return renderActions(t, locals);
      const key = `${locale}\n${String(account.href)}\n${account.label}`;
      let fill = anonymousActions.get(key);
      if (fill === undefined) {
        if (anonymousActions.size >= 64) anonymousActions.clear();
        anonymousActions.set(key, (fill = renderActions(t, locals)));
      }
      return fill;
    }

    /**
     * This visitor's text for each hole of the shell; `token` is the CSRF holes' text (when there are
     * any), which stands in `fills` as EMPTY until withToken() puts it in (a gzip template needs only the string).
     */
    function fillHoles(reply: FastifyReply, shell: PageShell): { fills: Buffer[]; token: string | undefined } {
      let token: string | undefined;
      const fills = shell.holes.map((hole) => {
        if (hole === 'csrf') {
          token ??= formToken(reply);
          return EMPTY;
        }
        if (hole === 'actions') return actionsFill(reply);
        const flashes = takeFlashes(reply.request);
        return flashes.length > 0 ? Buffer.from(eta.render('/partials/flash', { t: reply.request.t, flashes }), 'utf8') : EMPTY;
      });
      return { fills, token };
    }

    /** A visitor without account, cart count or flash: the page's fills other than the CSRF token are everyone's. */
    function isPlain(reply: FastifyReply, shell: PageShell, fills: readonly Buffer[]): boolean {
      const flash = shell.holes.indexOf('flash');
      return (flash === -1 || fills[flash]?.length === 0) && !reply.locals?.user && typeof reply.locals?.cartCount !== 'number';
    }

    const sameFills = (shell: PageShell, a: readonly Buffer[], b: readonly (Buffer | undefined)[]) =>
      a.every((fill, i) => shell.holes[i] === 'csrf' || fill === b[i] || fill.equals(b[i] as Buffer));

    /** The page's text cut at its CSRF holes: each part with the (fixed) fills up to the next one. */
    function textsBetweenTokens(shell: PageShell, fills: readonly Buffer[]): Buffer[] {
      const texts: Buffer[] = [];
      let pieces: Buffer[] = [];
      shell.parts.forEach((part, i) => {
        pieces.push(part);
        if (i === shell.parts.length - 1) return;
        if (shell.holes[i] !== 'csrf') return void pieces.push(fills[i] ?? EMPTY);
        texts.push(Buffer.concat(pieces));
        pieces = [];
      });
      texts.push(Buffer.concat(pieces));
      return texts;
    }

    function withToken(shell: PageShell, fills: Buffer[], token: string | undefined): Buffer[] {
      if (token === undefined) return fills;
      const text = Buffer.from(token, 'latin1');
      return fills.map((fill, i) => (shell.holes[i] === 'csrf' ? text : fill));
    }

    app.decorateReply('sendShell', function sendShell(this: FastifyReply, shell: PageShell): FastifyReply {
      const { fills, token } = fillHoles(this, shell);
      const accepted = this.request.headers['accept-encoding'];
      // A page without a CSRF token is the same for every visitor without a cart, account or flash:
      // sent as bytes compressed once (brotli or gzip), not compressed again per request.
      if (token === undefined) {
        if (shell.common === undefined && isPlain(this, shell, fills)) shell.common = commonBody(shell, fills);
        const common = shell.common;
        if (common !== undefined && sameFills(shell, fills, common.fills)) {
          const encoding = preferredEncoding(accepted);
          return sendHtml(this, encoding === null ? common.identity : common[encoding], encoding);
        }
      }
      // Anything else: gzip spliced from the parts compressed once and this visitor's text, or
      // the plain page (then @fastify/compress serves a client that takes only br or deflate).
      if (preferredEncoding(accepted, 'gzip') === 'gzip') {
        if (shell.deflated === undefined) {
          shell.deflated = deflateParts(shell.parts);
          shell.bytes += shell.deflated.bytes;
        }
        // The everyone's-fills page with only the token left open, spliced once: per request the
        // token goes in and the trailer is computed (the usual case: a new or anonymous visitor).
        if (token !== undefined && shell.tokenOnly === undefined && isPlain(this, shell, fills)) {
          shell.tokenOnly = { fills, template: gzipTextTemplate(textsBetweenTokens(shell, fills), token.length) };
          shell.bytes += shell.tokenOnly.template.segments.reduce((n, b) => n + b.length, 0);
        }
        const tokenOnly = shell.tokenOnly;
        if (token !== undefined && tokenOnly !== undefined && sameFills(shell, fills, tokenOnly.fills)) {
          return sendHtml(this, fillGzipTemplate(tokenOnly.template, token), 'gzip');
        }
        return sendHtml(this, spliceGzip(shell.deflated, withToken(shell, fills, token)), 'gzip');
      }
      return sendHtml(this, interleave(shell.parts, withToken(shell, fills, token)));
    });
  },
  { name: 'view', dependencies: ['i18n'] },
);
