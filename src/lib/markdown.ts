import MarkdownIt from 'markdown-it';

/**
 * Markdown → safe HTML, run when content is saved (never per request). Raw HTML in the source is
 * shown as text (`html: false`) and link/image targets are limited to http(s), mailto and relative
 * URLs, so stored HTML can be output unescaped in templates.
 */
const SAFE_SCHEME = /^(?:https?:|mailto:)/i;
/** Anything with a scheme ("x:"), after removing what browsers ignore (whitespace, control chars). */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function isSafeLinkTarget(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (cleaned.startsWith('//')) return false; // protocol-relative: another origin without saying so
  if (!HAS_SCHEME.test(cleaned)) return true; // relative: /path, #anchor, ?q, page.html
  return SAFE_SCHEME.test(cleaned);
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: true, breaks: false });
md.validateLink = isSafeLinkTarget;

// External links open normally but do not leak the opener or pass ranking to links staff paste.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const href = String(token?.attrGet('href') ?? '');
  if (token && /^https?:/i.test(href)) token.attrSet('rel', 'noopener nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** Plain text of markdown (meta descriptions, excerpts): markup removed, whitespace collapsed. */
export function markdownToText(source: string): string {
  const html = md.render(source);
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
