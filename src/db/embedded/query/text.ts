/**
 * Text search tokens: lower-cased, diacritic-insensitive words, and the parts of a
 * `$text: { $search }` string (terms, "quoted phrases", -negated words).
 * The storage layer builds text indexes and scores from these.
 */

const COMBINING = /\p{M}+/gu;
const SEPARATOR = /[^\p{L}\p{N}]+/u;

/** Lower case and strip diacritics ('Ação' → 'acao'). */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(COMBINING, '').toLowerCase();
}

export function tokenize(text: string): string[] {
  return foldText(text).split(SEPARATOR).filter((t) => t.length > 0);
}

export interface TextSearch {
  terms: string[];
  phrases: string[];
  negated: string[];
}

/**
 * Parses a $search string as MongoDB does: text between double quotes is a phrase
 * (its words also count as terms), a word starting with '-' is negated.
 */
export function parseTextSearch(search: string): TextSearch {
  const terms: string[] = [];
  const phrases: string[] = [];
  const negated: string[] = [];
  const addUnique = (list: string[], t: string): void => { if (!list.includes(t)) list.push(t); };
  let rest = '';
  let i = 0;
  while (i < search.length) {
    const q = search.indexOf('"', i);
    if (q < 0) { rest += ' ' + search.slice(i); break; }
    rest += ' ' + search.slice(i, q);
    const end = search.indexOf('"', q + 1);
    const phrase = end < 0 ? search.slice(q + 1) : search.slice(q + 1, end);
    const negatedPhrase = q > 0 && search[q - 1] === '-';
    if (negatedPhrase) rest = rest.replace(/-$/, '');
    const folded = foldText(phrase).trim();
    if (folded) {
      if (negatedPhrase) addUnique(negated, folded);
      else {
        addUnique(phrases, folded);
        for (const t of tokenize(phrase)) addUnique(terms, t);
      }
    }
    i = end < 0 ? search.length : end + 1;
  }
  for (const raw of rest.split(/\s+/)) {
    if (!raw) continue;
    const isNeg = raw.startsWith('-');
    for (const t of tokenize(isNeg ? raw.slice(1) : raw)) addUnique(isNeg ? negated : terms, t);
  }
  return { terms, phrases, negated };
}
