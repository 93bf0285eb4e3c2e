/**
 * Message framing for the MongoDB wire protocol: OP_QUERY (legacy handshake only),
 * OP_REPLY, OP_MSG. Parsing never throws past `parseMessage`: a bad message becomes
 * a `WireError` that says whether the request can still be answered.
 */
import { deserialize, serialize, type Document } from 'bson';
import { crc32c } from './crc32c.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

const FLAG_CHECKSUM = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
const FLAG_EXHAUST_ALLOWED = 1 << 16;
const KNOWN_FLAGS = FLAG_CHECKSUM | FLAG_MORE_TO_COME | FLAG_EXHAUST_ALLOWED;

/** Decoding options fixed by DESIGN.md ("Values"). */
export const DESERIALIZE_OPTIONS = {
  promoteLongs: false,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: true,
} as const;

export interface MessageHeader {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export type ParsedMessage =
  | { kind: 'msg'; header: MessageHeader; command: Document; moreToCome: boolean }
  | { kind: 'query'; header: MessageHeader; collection: string; command: Document };

export class WireError extends Error {
  constructor(
    message: string,
    /** False when the framing itself is broken and the connection must be closed. */
    readonly answerable: boolean,
    readonly code = 22,
    readonly codeName = 'InvalidBSON',
  ) {
    super(message);
    this.name = 'WireError';
  }
}

/** Reads the header; throws a non-answerable WireError when the length cannot be trusted. */
export function readHeader(buf: Buffer, offset = 0): MessageHeader {
  const length = buf.readInt32LE(offset);
  if (length < 16) throw new WireError(`invalid message length ${length}`, false);
  if (length > MAX_MESSAGE_SIZE) throw new WireError(`message length ${length} is over maxMessageSizeBytes`, false);
  return {
    length,
    requestId: buf.readInt32LE(offset + 4),
    responseTo: buf.readInt32LE(offset + 8),
    opCode: buf.readInt32LE(offset + 12),
  };
}

function readCString(buf: Buffer, offset: number, end: number): [string, number] {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new WireError('unterminated C string', true);
  return [buf.toString('utf8', offset, zero), zero + 1];
}

function readDocument(buf: Buffer, offset: number, end: number): [Document, number] {
  if (offset + 5 > end) throw new WireError('truncated BSON document', true);
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new WireError('invalid BSON document size', true);
  try {
    return [deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS), offset + size];
  } catch (err) {
    throw new WireError(`invalid BSON: ${(err as Error).message}`, true);
  }
}

/** Parses one complete message (`buf` holds exactly `header.length` bytes). */
export function parseMessage(buf: Buffer, header: MessageHeader): ParsedMessage {
  if (header.opCode === OP_MSG) return parseOpMsg(buf, header);
  if (header.opCode === OP_QUERY) return parseOpQuery(buf, header);
  throw new WireError(`unsupported opCode ${header.opCode}`, true, 17, 'ProtocolError');
}

function parseOpMsg(buf: Buffer, header: MessageHeader): ParsedMessage {
  if (buf.length < 21) throw new WireError('OP_MSG too short', true);
  const flags = buf.readUInt32LE(16);
  // Unknown bits in the low 16 are "required" bits: a server must reject them.
  if ((flags & 0xffff & ~KNOWN_FLAGS) !== 0) throw new WireError(`unsupported OP_MSG flag bits ${flags}`, true, 17, 'ProtocolError');
  let end = buf.length;
  if (flags & FLAG_CHECKSUM) {
    end -= 4;
    if (end < 21) throw new WireError('OP_MSG too short for its checksum', true);
    if (crc32c(buf, 0, end) !== buf.readUInt32LE(end)) throw new WireError('OP_MSG checksum mismatch', true, 17, 'ProtocolError');
  }
  let offset = 20;
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = buf[offset++];
    if (kind === 0) {
      if (body) throw new WireError('OP_MSG with more than one body section', true, 40430, 'Location40430');
      [body, offset] = readDocument(buf, offset, end);
    } else if (kind === 1) {
      if (offset + 4 > end) throw new WireError('truncated document sequence', true);
      const size = buf.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new WireError('invalid document sequence size', true);
      let id: string;
      [id, offset] = readCString(buf, offset + 4, seqEnd);
      const docs: Document[] = [];
      while (offset < seqEnd) {
        let doc: Document;
        [doc, offset] = readDocument(buf, offset, seqEnd);
        docs.push(doc);
      }
      sequences.push([id, docs]);
    } else {
      throw new WireError(`unknown OP_MSG section kind ${String(kind)}`, true, 40432, 'Location40432');
    }
  }
  if (!body) throw new WireError('OP_MSG without a body section', true, 40587, 'Location40587');
  for (const [id, docs] of sequences) {
    if (id in body) throw new WireError(`duplicate field '${id}' in body and document sequence`, true, 40433, 'Location40433');
    body[id] = docs;
  }
  return { kind: 'msg', header, command: body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(buf: Buffer, header: MessageHeader): ParsedMessage {
  const [collection, afterName] = readCString(buf, 20, buf.length);
  // numberToSkip and numberToReturn (8 bytes) are irrelevant for a command.
  let [query] = readDocument(buf, afterName + 8, buf.length);
  // Legacy drivers may wrap the command as { $query: {...}, $readPreference: ... }.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  return { kind: 'query', header, collection, command: query };
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const buf = Buffer.allocUnsafe(16);
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
  return buf;
}

/** OP_MSG reply with one kind-0 section. `body` may be pre-serialised. */
export function encodeMsg(responseTo: number, body: Document | Uint8Array): Buffer {
  const bytes = body instanceof Uint8Array ? body : serialize(body);
  const out = Buffer.allocUnsafe(21 + bytes.length);
  header(out.length, responseTo, OP_MSG).copy(out, 0);
  out.writeUInt32LE(0, 16);
  out[20] = 0;
  out.set(bytes, 21);
  return out;
}

/** OP_REPLY with a single document (answers the legacy OP_QUERY handshake). */
export function encodeReply(responseTo: number, doc: Document): Buffer {
  const bytes = serialize(doc);
  const out = Buffer.allocUnsafe(36 + bytes.length);
  header(out.length, responseTo, OP_REPLY).copy(out, 0);
  out.writeInt32LE(8, 16); // responseFlags: AwaitCapable, as mongod sets it
  out.writeBigInt64LE(0n, 20);
  out.writeInt32LE(0, 28);
  out.writeInt32LE(1, 32);
  out.set(bytes, 36);
  return out;
}
