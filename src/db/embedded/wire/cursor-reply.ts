/**
 * Builds `{ cursor: { firstBatch|nextBatch: [...], id, ns }, ok: 1 }` around documents that
 * are already serialised, so each document is encoded exactly once per reply.
 */
function cstring(s: string): Buffer {
  return Buffer.from(s + '\0', 'utf8');
}

export function encodeCursorReply(field: 'firstBatch' | 'nextBatch', docs: Uint8Array[], id: bigint, ns: string): Buffer {
  let arrayLen = 5;
  const names = docs.map((_, i) => cstring(String(i)));
  docs.forEach((d, i) => (arrayLen += 1 + names[i]!.length + d.length));
  const fieldName = cstring(field);
  const nsBytes = Buffer.from(ns, 'utf8');
  const cursorLen = 4 + (1 + fieldName.length + arrayLen) + (1 + 3 + 8) + (1 + 3 + 4 + nsBytes.length + 1) + 1;
  const total = 4 + (1 + 7 + cursorLen) + (1 + 3 + 8) + 1;
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  o = out.writeInt32LE(total, o);
  out[o++] = 0x03;
  o += out.write('cursor\0', o, 'latin1');
  o = out.writeInt32LE(cursorLen, o);
  out[o++] = 0x04;
  o += fieldName.copy(out, o);
  o = out.writeInt32LE(arrayLen, o);
  docs.forEach((d, i) => {
    out[o++] = 0x03;
    o += names[i]!.copy(out, o);
    out.set(d, o);
    o += d.length;
  });
  out[o++] = 0;
  out[o++] = 0x12;
  o += out.write('id\0', o, 'latin1');
  o = out.writeBigInt64LE(id, o);
  out[o++] = 0x02;
  o += out.write('ns\0', o, 'latin1');
  o = out.writeInt32LE(nsBytes.length + 1, o);
  o += nsBytes.copy(out, o);
  out[o++] = 0;
  out[o++] = 0; // end of cursor
  out[o++] = 0x01;
  o += out.write('ok\0', o, 'latin1');
  o = out.writeDoubleLE(1, o);
  out[o++] = 0;
  return out;
}
