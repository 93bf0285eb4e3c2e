/**
 * Marks the searched words in a text for the results page: the text is HTML-escaped piece by
 * piece and only our own <mark> elements are added, so the result is safe to output raw.
 * Matching folds case and accents as the text index does ("cafe" marks "Café").
 */
import { fold } from '../../lib/fold.js';

const WORD = /[\p{L}\p{N}]+/gu;

export function searchTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const raw of query.split(/\s+/)) {
    if (raw.startsWith('-')) continue; // excluded words are not in the results
    for (const m of fold(raw).matchAll(WORD)) terms.add(m[0]);
  }
  return [...terms];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function matches(word: string, terms: readonly string[]): boolean {
  const w = fold(word);
  // A prefix match also marks plurals and other endings ("shirt" → "shirts").
  return terms.some((t) => w === t || (t.length >= 3 && w.startsWith(t)));
}

export function highlight(text: string, terms: readonly string[]): string {
  if (terms.length === 0) return escapeHtml(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const index = m.index;
    out += escapeHtml(text.slice(last, index));
    out += matches(m[0], terms) ? `<mark>${escapeHtml(m[0])}</mark>` : escapeHtml(m[0]);
    last = index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** A short excerpt around the first matched word (for descriptions), highlighted. */
export function excerpt(text: string, terms: readonly string[], length = 180): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= length) return highlight(clean, terms);
  let start = 0;
  for (const m of clean.matchAll(WORD)) {
    if (matches(m[0], terms)) {
      start = Math.max(0, m.index - 40);
      break;
    }
  }
  const space = start > 0 ? clean.indexOf(' ', start) : 0;
  const from = space >= 0 && space < start + 20 ? space + (start > 0 ? 1 : 0) : start;
  const piece = clean.slice(from, from + length);
  return (from > 0 ? '… ' : '') + highlight(piece, terms) + (from + length < clean.length ? ' …' : '');
}
