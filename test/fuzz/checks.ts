import { parse } from 'node-html-parser';
import { isLocale, resolveLocale, LOCALE_COOKIE, type Locale } from '../../src/i18n/locales.js';
import type { FuzzCase } from './cases.js';
import { SECRET_MARKERS } from './payloads.js';
import type { Sent } from './send.js';

export type CheckName = '5xx' | 'state-changed' | 'offsite-redirect' | 'not-html' | 'json-error' | 'wrong-language' | 'served-secret';

/** True when a Location header would take the browser to another site (or run script). */
export function isOffSite(location: string): boolean {
  const value = location.trim();
  // A browser strips tabs and newlines: "/\t/evil.com" is "//evil.com". Any control character counts.
  for (let i = 0; i < location.length; i++) if (location.charCodeAt(i) < 0x20 || location.charCodeAt(i) === 0x7f) return true;
  if (value.startsWith('//') || value.startsWith('/\\') || value.startsWith('\\')) return true;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    try {
      const url = new URL(value);
      return !(url.protocol === 'http:' || url.protocol === 'https:') || url.hostname !== 'localhost';
    } catch {
      return true;
    }
  }
  try {
    return new URL(value, 'http://localhost/').host !== 'localhost';
  } catch {
    return true;
  }
}

/** The language the page must be in: ?lang= wins, then the locale cookie, then Accept-Language. */
export function expectedLocale(c: FuzzCase, cookies: ReadonlyMap<string, string>, acceptLanguage: string): Locale {
  const query = c.url.includes('?') ? c.url.slice(c.url.indexOf('?') + 1) : '';
  let lang: string | null = null;
  try {
    lang = new URLSearchParams(query).get('lang');
  } catch {
    lang = null;
  }
  if (isLocale(lang)) return lang;
  return resolveLocale(cookies.get(LOCALE_COOKIE), c.headers?.['accept-language'] ?? acceptLanguage);
}

/** Problems with one response, beyond the database check (which is per batch). */
export function responseProblems(c: FuzzCase, r: Sent, locale: Locale): { check: CheckName; detail: string }[] {
  const out: { check: CheckName; detail: string }[] = [];
  if (r.refused !== undefined) return out;
  if (r.status >= 500) out.push({ check: '5xx', detail: r.body.slice(0, 200) });
  const location = r.headers.location;
  if (typeof location === 'string' && isOffSite(location)) out.push({ check: 'offsite-redirect', detail: location });
  if (c.traversal && r.status < 300) {
    const marker = SECRET_MARKERS.find((m) => r.body.includes(m));
    if (marker) out.push({ check: 'served-secret', detail: marker });
  }
  if (r.status >= 400 && r.status < 500 && c.method !== 'HEAD') {
    const type = String(r.headers['content-type'] ?? '');
    if (r.body.trimStart().startsWith('{')) out.push({ check: 'json-error', detail: r.body.slice(0, 160) });
    else if (!type.startsWith('text/html')) out.push({ check: 'not-html', detail: type || '(no content type)' });
    else {
      const lang = parse(r.body).querySelector('html')?.getAttribute('lang');
      if (lang !== locale) out.push({ check: 'wrong-language', detail: `lang=${lang ?? '(none)'}, expected ${locale}` });
    }
  }
  return out;
}
