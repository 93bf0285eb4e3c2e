import type { FastifyRequest } from 'fastify';
import { withLang } from './seo.js';

/** The request chose its language with `?lang=` (read by the i18n plugin for every page). */
export function hasExplicitLang(request: FastifyRequest): boolean {
  return request.langParam !== null;
}

/** Internal links keep the language the page was asked in with ?lang=. */
export function linker(request: FastifyRequest): (path: string) => string {
  const lang = request.langParam;
  if (lang === null) return (path) => path;
  return (path) => withLang(path, lang);
}
