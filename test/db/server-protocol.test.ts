import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/index.js';
import { crc32c } from '../../src/db/embedded/wire/crc32c.js';

let server: EmbeddedMongo;
const warnings: string[] = [];

beforeAll(async () => {
  server = await startEmbeddedMongo({ logger: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) } });
});
afterAll(async () => {
  await server?.stop();
});

function header(length: number, requestId: number, opCode: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(length, 0);
  b.writeInt32LE(requestId, 4);
  b.writeInt32LE(0, 8);
  b.writeInt32LE(opCode, 12);
  return b;
}

function opMsg(requestId: number, body: Document | Buffer, options: { flags?: number; sequence?: [string, Document[]]; checksum?: 'good' | 'bad' } = {}): Buffer {
  const bodyBytes = Buffer.isBuffer(body) ? body : Buffer.from(serialize(body));
  const parts = [Buffer.from([0]), bodyBytes];
  if (options.sequence) {
    const [id, docs] = options.sequence;
    const docBytes = Buffer.concat(docs.map((d) => Buffer.from(serialize(d))));
    const name = Buffer.from(id + '\0');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + name.length + docBytes.length);
    parts.push(Buffer.from([1]), size, name, docBytes);
  }
  let flags = options.flags ?? 0;
  if (options.checksum) flags |= 1;
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags);
  const payload = Buffer.concat([flagBytes, ...parts]);
  const length = 16 + payload.length + (options.checksum ? 4 : 0);
  const msg = Buffer.concat([header(length, requestId, 2013), payload]);
  if (!options.checksum) return msg;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(options.checksum === 'good' ? crc32c(msg) : 12345);
  return Buffer.concat([msg, crc]);
}

/** Sends bytes and collects replies until `count` arrived or the server closed the socket. */
function exchange(bytes: Buffer, count = 1, waitMs = 1000): Promise<{ replies: { responseTo: number; opCode: number; doc: Document }[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    const replies: { responseTo: number; opCode: number; doc: Document }[] = [];
    let buf = Buffer.alloc(0);
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ replies, closed });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 16 && buf.length >= buf.readInt32LE(0)) {
        const len = buf.readInt32LE(0);
        const opCode = buf.readInt32LE(12);
        const docStart = opCode === 1 ? 36 : 21;
        replies.push({ responseTo: buf.readInt32LE(8), opCode, doc: deserialize(buf.subarray(docStart, len)) });
        buf = buf.subarray(len);
      }
      if (replies.length >= count) finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => {});
    socket.write(bytes);
  });
}

async function otherClientWorks(): Promise<void> {
  const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 2000 });
  try {
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
  } finally {
    await client.close();
  }
}

describe('wire protocol', () => {
  it('answers the legacy OP_QUERY handshake with OP_REPLY', async () => {
    const query = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.alloc(4), Buffer.from([1, 0, 0, 0]), Buffer.from(serialize({ isMaster: 1 }))]);
    const { replies } = await exchange(Buffer.concat([header(16 + query.length, 7, 2004), query]));
    expect(replies[0]).toMatchObject({ responseTo: 7, opCode: 1, doc: { ismaster: true, maxWireVersion: 21, ok: 1 } });
  });

  it('merges document sequences, honours checksums and moreToCome', async () => {
    const db = `proto_${process.pid}`;
    const insert = opMsg(1, { insert: 'c', $db: db }, { sequence: ['documents', [{ _id: 1 }, { _id: 2 }]], flags: 2 });
    const find = opMsg(2, { find: 'c', $db: db }, { checksum: 'good' });
    const { replies } = await exchange(Buffer.concat([insert, find]));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.responseTo).toBe(2);
    expect(replies[0]!.doc.cursor.firstBatch).toEqual([{ _id: 1 }, { _id: 2 }]);
    const bad = await exchange(opMsg(3, { ping: 1, $db: 'admin' }, { checksum: 'bad' }));
    expect(bad.replies[0]).toMatchObject({ responseTo: 3, doc: { ok: 0 } });
  });

  it('closes the connection on a bad header or an oversized length, and keeps serving others', async () => {
    const tiny = await exchange(header(8, 1, 2013));
    expect(tiny).toMatchObject({ closed: true, replies: [] });
    const huge = await exchange(header(100_000_000, 1, 2013));
    expect(huge).toMatchObject({ closed: true, replies: [] });
    await otherClientWorks();
    expect(warnings.some((w) => w.includes('invalid message length'))).toBe(true);
  });

  it('answers an unknown opcode and corrupt BSON with an error, then keeps serving', async () => {
    const unknown = await exchange(Buffer.concat([header(20, 11, 9999), Buffer.alloc(4)]));
    expect(unknown.replies[0]).toMatchObject({ responseTo: 11, doc: { ok: 0 } });
    const corrupt = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
    corrupt[4] = 0x7f; // an invalid element type
    const bad = await exchange(opMsg(12, corrupt));
    expect(bad.replies[0]).toMatchObject({ responseTo: 12, doc: { ok: 0, code: 22 } });
    await otherClientWorks();
  });

  it('rejects documents over 16 MiB with BSONObjectTooLarge', async () => {
    const big = { _id: 1, s: 'x'.repeat(16 * 1024 * 1024) };
    const { replies } = await exchange(opMsg(21, { insert: 'big', $db: `proto_big_${process.pid}` }, { sequence: ['documents', [big]] }), 1, 5000);
    expect(replies[0]!.doc.writeErrors[0]).toMatchObject({ index: 0, code: 10334 });
  });
});
