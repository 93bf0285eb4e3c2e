/**
 * MongoDB (PCRE) regular expressions mapped onto JS RegExp: options i, m, s, x, u.
 */
import { BSONRegExp } from 'bson';
import { fail } from '../errors.js';

const cache = new Map<string, RegExp>();

/** Removes unescaped whitespace and #-comments outside character classes (PCRE "x"). */
function stripExtended(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') { out += c + (pattern[i + 1] ?? ''); i++; continue; }
    if (inClass) { if (c === ']') inClass = false; out += c; continue; }
    if (c === '[') { inClass = true; out += c; continue; }
    if (/\s/.test(c)) continue;
    if (c === '#') { while (i < pattern.length && pattern[i] !== '\n') i++; continue; }
    out += c;
  }
  return out;
}

export function toJsRegExp(pattern: string, options: string): RegExp {
  const key = options + '/' + pattern;
  let re = cache.get(key);
  if (re) return re;
  let flags = '';
  for (const o of options) {
    if (o === 'i' || o === 'm' || o === 's') { if (!flags.includes(o)) flags += o; } else if (o !== 'x' && o !== 'u' && o !== 'l') {
      fail('BadValue', `invalid flag in regex options: ${o}`, undefined, 51108);
    }
  }
  let source = options.includes('x') ? stripExtended(pattern) : pattern;
  // PCRE's \A and \z anchors have no JS spelling.
  source = source.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  try {
    re = new RegExp(source, flags + 'u');
  } catch {
    try {
      re = new RegExp(source, flags);
    } catch (e) {
      fail('BadValue', `Regular expression is invalid: ${(e as Error).message}`, undefined, 51091);
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

export function isRegexValue(v: unknown): v is RegExp | BSONRegExp {
  return v instanceof RegExp || (v !== null && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'BSONRegExp');
}

export function regexOf(v: RegExp | BSONRegExp): RegExp {
  if (v instanceof RegExp) return toJsRegExp(v.source, v.flags.replace(/[gy]/g, ''));
  return toJsRegExp(v.pattern, v.options);
}

/** Parses `{ $regex, $options }` operands (string or regex value) into one pattern. */
export function regexFromOperands(regex: unknown, options: unknown): RegExp {
  if (options !== undefined && typeof options !== 'string') fail('BadValue', '$options has to be a string');
  if (typeof regex === 'string') {
    if (regex.includes('\0')) fail('BadValue', 'Regular expression cannot contain an embedded null byte', undefined, 51109);
    return toJsRegExp(regex, options ?? '');
  }
  if (isRegexValue(regex)) {
    const r = regex instanceof RegExp ? new BSONRegExp(regex.source, regex.flags) : regex;
    if (options !== undefined && options !== '' && r.options !== '') {
      fail('BadValue', 'options set in both $regex and $options', undefined, 51075);
    }
    return toJsRegExp(r.pattern, options || r.options);
  }
  return fail('BadValue', '$regex has to be a string');
}
