/**
 * A text index: per-document term scores (MongoDB's formula from fts_spec.cpp) and
 * postings from term to documents. Tokens come from the query layer's `tokenize`
 * (lower-cased, diacritics removed), so "cafe" finds "café".
 */
import { foldText } from '../query/text.js';
import { parseTextSearch, tokenize } from './query-deps.js';
import { valuesAtPath } from './key-values.js';
import type { Doc, IndexSpec } from './types.js';

export function isTextKey(key: Record<string, unknown>): boolean {
  return Object.values(key).some((v) => v === 'text') || '_fts' in key;
}

/** Turns the driver's `{ title: 'text' }` spec into the stored shape mongod lists. */
export function normaliseTextSpec(spec: IndexSpec): IndexSpec {
  if ('_fts' in spec.key) return spec;
  const weights: Record<string, number> = {};
  const given = (spec.weights ?? {}) as Record<string, unknown>;
  for (const [field, kind] of Object.entries(spec.key)) if (kind === 'text') weights[field] = 1;
  for (const [field, w] of Object.entries(given)) weights[field] = Number(w);
  return {
    ...spec,
    key: { _fts: 'text', _ftsx: 1 },
    weights,
    default_language: spec.default_language ?? 'english',
    language_override: spec.language_override ?? 'language',
    textIndexVersion: 3,
  };
}

export class TextIndex {
  readonly name: string;
  private readonly weights: [string, number][];
  private readonly scores = new Map<string, Map<string, number>>();
  private readonly postings = new Map<string, Set<string>>();

  constructor(readonly spec: IndexSpec) {
    this.name = spec.name;
    this.weights = Object.entries((spec.weights ?? {}) as Record<string, number>);
  }

  add(idKey: string, doc: Doc): void {
    const termScores = new Map<string, number>();
    for (const [field, weight] of this.weights) {
      const strings = field === '$**' ? allStrings(doc) : valuesAtPath(doc, field).filter((v): v is string => typeof v === 'string');
      for (const s of strings) scoreString(s, weight, termScores);
    }
    if (termScores.size === 0) return;
    this.scores.set(idKey, termScores);
    for (const term of termScores.keys()) {
      const set = this.postings.get(term);
      if (set) set.add(idKey);
      else this.postings.set(term, new Set([idKey]));
    }
  }

  remove(idKey: string): void {
    const termScores = this.scores.get(idKey);
    if (!termScores) return;
    this.scores.delete(idKey);
    for (const term of termScores.keys()) {
      const set = this.postings.get(term);
      set?.delete(idKey);
      if (set?.size === 0) this.postings.delete(term);
    }
  }

  clear(): void {
    this.scores.clear();
    this.postings.clear();
  }

  /** Scores of the documents matching `$search` (any term, every phrase, no negated term). */
  search(searchText: string, getDoc: (idKey: string) => Doc | undefined): Map<string, number> {
    const parsed = parseTextSearch(searchText);
    const phrases = parsed.phrases.map(foldText).filter(Boolean);
    const terms = new Set([...parsed.terms, ...parsed.phrases.flatMap((p) => tokenize(p))]);
    const negated = new Set(parsed.negated);
    const result = new Map<string, number>();
    for (const term of terms) {
      for (const idKey of this.postings.get(term) ?? []) {
        if (result.has(idKey)) continue;
        const termScores = this.scores.get(idKey)!;
        if ([...negated].some((n) => termScores.has(n))) continue;
        if (phrases.length > 0 && !this.hasPhrases(getDoc(idKey), phrases)) continue;
        let score = 0;
        for (const t of terms) score += termScores.get(t) ?? 0;
        result.set(idKey, score);
      }
    }
    return result;
  }

  private hasPhrases(doc: Doc | undefined, phrases: string[]): boolean {
    if (!doc) return false;
    const text = this.weights
      .flatMap(([field]) => (field === '$**' ? allStrings(doc) : valuesAtPath(doc, field).filter((v): v is string => typeof v === 'string')))
      .map(foldText)
      .join('\n');
    return phrases.every((p) => text.includes(p));
  }
}

/** MongoDB's _scoreStringV2: repeated terms add diminishing frequency, scaled by their share of the field. */
function scoreString(raw: string, weight: number, out: Map<string, number>): void {
  const tokens = tokenize(raw);
  if (tokens.length === 0) return;
  const data = new Map<string, { count: number; exp: number; freq: number }>();
  for (const t of tokens) {
    const d = data.get(t) ?? { count: 0, exp: 0, freq: 0 };
    d.exp = d.exp ? d.exp * 2 : 1;
    d.count += 1;
    d.freq += 1 / d.exp;
    data.set(t, d);
  }
  for (const [term, d] of data) {
    const coeff = (0.5 * d.count) / tokens.length + 0.5;
    const adjustment = raw.length === term.length && foldText(raw) === term ? 1.1 : 1;
    out.set(term, (out.get(term) ?? 0) + weight * d.freq * coeff * adjustment);
  }
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object' && !('_bsontype' in value) && !(value instanceof Date)) {
    for (const v of Object.values(value)) allStrings(v, out);
  }
  return out;
}
