import type { Document } from 'mongodb';

/**
 * listIndexes entries → createIndexes specs. The `_id` index exists by itself; `v` and `ns` are
 * the server's to choose. A text index is listed in its internal form ({ _fts: "text", _ftsx: 1 }
 * plus weights): it is turned back into the form one creates it with ({ field: "text" }), which
 * MongoDB and the embedded server both accept.
 */
export function restorableIndexes(listed: readonly Document[]): Document[] {
  return listed.filter((spec) => spec.name !== '_id_').map(toCreateSpec);
}

function toCreateSpec(listed: Document): Document {
  const { v: _v, ns: _ns, key, ...rest } = listed;
  const keyDoc = (key ?? {}) as Document;
  if (!('_fts' in keyDoc)) return { key: keyDoc, ...rest };
  const weights = (rest.weights ?? {}) as Record<string, unknown>;
  const textKey: Document = {};
  for (const [field, direction] of Object.entries(keyDoc)) {
    if (field === '_fts') for (const textField of Object.keys(weights)) textKey[textField] = 'text';
    else if (field !== '_ftsx') textKey[field] = direction;
  }
  return { key: textKey, ...rest };
}
