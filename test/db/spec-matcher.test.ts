// The spec runner's matcher must let every correct answer through and stop every wrong one.
import { describe, expect, it } from 'vitest';
import { Binary, Decimal128, Double, EJSON, Int32, Long, ObjectId, Timestamp } from 'bson';
import {
  assertMatch,
  assertMatchRootArray,
  assertSameDocuments,
  MatchError,
  matches,
  type MatchContext,
} from './spec/matcher.js';
import { MongoInvalidArgumentError, MongoServerError } from 'mongodb';
import { assertExpectedError } from './spec/expect-error.js';
import { assertEvent, type CommandRecord } from './spec/events.js';

function entities(values: Record<string, unknown>, lsids: Record<string, unknown> = {}): MatchContext {
  return {
    entityValue(name) {
      if (!(name in values)) throw new Error(`undefined entity ${name}`);
      return values[name];
    },
    sessionLsid(name) {
      if (!(name in lsids)) throw new Error(`undefined session ${name}`);
      return lsids[name];
    },
  };
}

function failure(fn: () => void): MatchError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MatchError) return error;
    throw error;
  }
  throw new Error('expected a MatchError, the match passed');
}

describe('plain values', () => {
  it('compares int, long and double by value', () => {
    expect(matches(1, 1)).toBe(true);
    expect(matches(1, new Double(1))).toBe(true);
    expect(matches(1, Long.fromNumber(1))).toBe(true);
    expect(matches(new Int32(7), 7)).toBe(true);
    expect(matches(Long.fromString('9007199254740993'), Long.fromString('9007199254740993'))).toBe(true);
  });

  it('rejects a different number, including int64 values beyond double precision', () => {
    expect(matches(1, 1.5)).toBe(false);
    expect(matches(2, Long.fromNumber(3))).toBe(false);
    expect(matches(Long.fromString('9007199254740993'), 9007199254740992)).toBe(false);
  });

  it('rejects a value of another type bracket', () => {
    expect(matches(1, '1')).toBe(false);
    expect(matches('1', 1)).toBe(false);
    expect(matches(true, 1)).toBe(false);
    expect(matches(0, false)).toBe(false);
    expect(matches(null, 0)).toBe(false);
    expect(matches(0, null)).toBe(false);
    expect(matches(1, Decimal128.fromString('1'))).toBe(false);
    expect(matches(1, { a: 1 })).toBe(false);
    expect(matches({ a: 1 }, [1])).toBe(false);
    expect(matches([1], { 0: 1 })).toBe(false);
  });

  it('compares BSON values by type and content', () => {
    const id = new ObjectId();
    expect(matches(id, new ObjectId(id.toHexString()))).toBe(true);
    expect(matches(id, new ObjectId())).toBe(false);
    expect(matches(id, id.toHexString())).toBe(false);
    expect(matches(new Date(5), new Date(5))).toBe(true);
    expect(matches(new Date(5), new Date(6))).toBe(false);
    expect(matches(new Date(5), 5)).toBe(false);
    expect(matches(new Binary(Buffer.from('ab')), new Binary(Buffer.from('ab')))).toBe(true);
    expect(matches(new Binary(Buffer.from('ab')), new Binary(Buffer.from('abc')))).toBe(false);
    expect(matches(new Binary(Buffer.from('ab')), new Binary(Buffer.from('ab'), 4))).toBe(false);
    expect(matches(new Timestamp({ t: 1, i: 2 }), new Timestamp({ t: 1, i: 2 }))).toBe(true);
    expect(matches(new Timestamp({ t: 1, i: 2 }), new Timestamp({ t: 1, i: 3 }))).toBe(false);
  });
});

describe('documents', () => {
  it('lets a root document carry extra keys, in any order', () => {
    expect(matches({ x: 1, y: 2 }, { y: 2, z: 3, x: 1 })).toBe(true);
  });

  it('rejects extra keys in a nested document', () => {
    const err = failure(() => assertMatch({ a: { y: 1 } }, { a: { y: 1, z: 1 } }, entities({})));
    expect(err.path).toBe('$.a');
    expect(err.reason).toContain('z');
  });

  it('rejects extra keys in a non-root top-level document', () => {
    expect(matches({ x: 1 }, { x: 1, y: 1 }, undefined, false)).toBe(false);
  });

  it('rejects a missing key and a wrong value, naming the path', () => {
    expect(failure(() => assertMatch({ x: 1, y: 2 }, { x: 1 }, entities({}))).path).toBe('$.y');
    expect(failure(() => assertMatch({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 3 }] } }, entities({}))).path).toBe(
      '$.a.b[1].c',
    );
  });

  it('treats a Map (driver-ordered keys such as sort) as a document', () => {
    expect(matches({ sort: { x: 1 } }, { sort: new Map([['x', 1]]) })).toBe(true);
    expect(matches({ sort: { x: 1 } }, { sort: new Map([['x', -1]]) })).toBe(false);
  });

  it('does not count an undefined property as present', () => {
    expect(matches({ x: 1 }, { x: undefined })).toBe(false);
  });
});

describe('arrays', () => {
  it('requires the same length and order', () => {
    expect(matches([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(matches([1, 2, 3], [1, 2, 3, 4])).toBe(false);
    expect(matches([1, 2, 3], [1, 2])).toBe(false);
    expect(matches([1, 2], [2, 1])).toBe(false);
  });

  it('matches array elements as nested documents (distinct) but cursor results as root documents', () => {
    const expected = [{ x: 1 }, { x: 2 }];
    const actual = [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ];
    expect(matches(expected, actual)).toBe(false);
    expect(() => assertMatchRootArray(expected, actual, entities({}))).not.toThrow();
    expect(() => assertMatchRootArray(expected, actual.slice(0, 1), entities({}))).toThrow(MatchError);
    expect(() => assertMatchRootArray([{ x: 1 }], [{ x: 2 }], entities({}))).toThrow(MatchError);
  });
});

describe('special operators', () => {
  it('$$exists checks presence only, null counts as present', () => {
    expect(matches({ a: { $$exists: true } }, { a: null })).toBe(true);
    expect(matches({ a: { $$exists: true } }, {})).toBe(false);
    expect(matches({ a: { $$exists: false } }, {})).toBe(true);
    expect(matches({ a: { $$exists: false } }, { a: 1 })).toBe(false);
    expect(matches({ a: { $$exists: false } }, { a: null })).toBe(false);
  });

  it('$$exists inside a nested document still forbids extra keys', () => {
    expect(matches({ n: { a: { $$exists: false } } }, { n: {} })).toBe(true);
    expect(matches({ n: { a: { $$exists: false } } }, { n: { b: 1 } })).toBe(false);
  });

  it('$$type accepts the listed types only', () => {
    expect(matches({ $$type: 'objectId' }, new ObjectId())).toBe(true);
    expect(matches({ $$type: 'objectId' }, new ObjectId().toHexString())).toBe(false);
    expect(matches({ $$type: 'date' }, new Date())).toBe(true);
    expect(matches({ $$type: 'date' }, Date.now())).toBe(false);
    expect(matches({ $$type: ['int', 'long'] }, Long.fromNumber(5))).toBe(true);
    expect(matches({ $$type: ['int', 'long'] }, 5)).toBe(true);
    expect(matches({ $$type: ['int', 'long'] }, 5.5)).toBe(false);
    expect(matches({ $$type: ['int', 'long'] }, '5')).toBe(false);
    expect(matches({ $$type: 'int' }, Long.fromNumber(5))).toBe(false);
    expect(matches({ $$type: 'long' }, new Int32(5))).toBe(false);
    expect(matches({ $$type: 'object' }, { a: 1 })).toBe(true);
    expect(matches({ $$type: 'object' }, [1])).toBe(false);
    expect(matches({ $$type: 'object' }, new ObjectId())).toBe(false);
    expect(matches({ a: { $$type: 'string' } }, {})).toBe(false);
  });

  it('$$type with an unknown alias is a runner error, not a silent pass', () => {
    expect(() => matches({ $$type: 'integer' }, 1)).toThrow(/unknown \$\$type alias/);
  });

  it('$$unsetOrMatches passes when absent and checks the value when present', () => {
    expect(matches({ insertedId: { $$unsetOrMatches: 2 } }, {})).toBe(true);
    expect(matches({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 2 })).toBe(true);
    expect(matches({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 3 })).toBe(false);
    expect(matches({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: null })).toBe(false);
    expect(matches({ $$unsetOrMatches: { insertedId: 2 } }, undefined)).toBe(true);
    expect(matches({ $$unsetOrMatches: { insertedId: 2 } }, { insertedId: 2, acknowledged: true })).toBe(true);
    expect(matches({ $$unsetOrMatches: { insertedId: 2 } }, { insertedId: 4 })).toBe(false);
  });

  it('$$unsetOrMatches keeps nested documents strict', () => {
    const expected = { insertedIds: { $$unsetOrMatches: { 0: 2, 1: 3 } } };
    expect(matches(expected, { insertedIds: { 0: 2, 1: 3 } })).toBe(true);
    expect(matches(expected, { insertedIds: { 0: 2, 1: 3, 2: 4 } })).toBe(false);
  });

  it('$$matchesEntity compares with a saved entity', () => {
    const id = new ObjectId();
    const ctx = entities({ uploaded: id });
    expect(() => assertMatch({ _id: { $$matchesEntity: 'uploaded' } }, { _id: new ObjectId(id.toHexString()) }, ctx)).not.toThrow();
    expect(() => assertMatch({ _id: { $$matchesEntity: 'uploaded' } }, { _id: new ObjectId() }, ctx)).toThrow(MatchError);
    expect(() => assertMatch({ _id: { $$matchesEntity: 'missing' } }, { _id: id }, ctx)).toThrow(/undefined entity/);
  });

  it('$$matchesHexBytes compares all the bytes, not a prefix', () => {
    expect(matches({ $$matchesHexBytes: '1122' }, Buffer.from([0x11, 0x22]))).toBe(true);
    expect(matches({ $$matchesHexBytes: '' }, Buffer.alloc(0))).toBe(true);
    expect(matches({ $$matchesHexBytes: '1122' }, Buffer.from([0x11, 0x22, 0x33]))).toBe(false);
    expect(matches({ $$matchesHexBytes: '1122' }, Buffer.from([0x11, 0x23]))).toBe(false);
    expect(() => matches({ $$matchesHexBytes: '112' }, Buffer.alloc(0))).toThrow(/malformed hex/);
  });

  it('$$sessionLsid requires the exact lsid of the named session', () => {
    const lsid = { id: new Binary(Buffer.alloc(16, 7), 4) };
    const ctx = entities({}, { session0: lsid });
    expect(() => assertMatch({ lsid: { $$sessionLsid: 'session0' } }, { lsid: { id: new Binary(Buffer.alloc(16, 7), 4) } }, ctx)).not.toThrow();
    expect(() => assertMatch({ lsid: { $$sessionLsid: 'session0' } }, { lsid: { id: new Binary(Buffer.alloc(16, 8), 4) } }, ctx)).toThrow(
      MatchError,
    );
    expect(() => assertMatch({ lsid: { $$sessionLsid: 'session0' } }, {}, ctx)).toThrow(MatchError);
  });

  it('$$lte compares numerically across types', () => {
    expect(matches({ $$lte: 1 }, new Double(1))).toBe(true);
    expect(matches({ $$lte: 1 }, 0)).toBe(true);
    expect(matches({ $$lte: 1 }, 1.1)).toBe(false);
    expect(matches({ $$lte: 1 }, '0')).toBe(false);
  });

  it('$$matchAsDocument parses Extended JSON and matches it as a nested document', () => {
    const text = EJSON.stringify({ a: 1, b: { $oid: '000000000000000000000001' } });
    expect(matches({ $$matchAsDocument: { a: 1, b: { $$type: 'objectId' } } }, text)).toBe(true);
    expect(matches({ $$matchAsDocument: { a: 1 } }, text)).toBe(false);
    expect(matches({ $$matchAsDocument: { $$matchAsRoot: { a: 1 } } }, text)).toBe(true);
    expect(matches({ $$matchAsDocument: { a: 1 } }, { a: 1 })).toBe(false);
  });

  it('$$matchAsRoot allows extra keys below the root', () => {
    expect(matches({ n: { $$matchAsRoot: { a: 1 } } }, { n: { a: 1, b: 2 } })).toBe(true);
    expect(matches({ n: { $$matchAsRoot: { a: 2 } } }, { n: { a: 1, b: 2 } })).toBe(false);
  });

  it('an unknown $$ operator is an error', () => {
    expect(() => matches({ $$bogus: 1 }, 1)).toThrow(/unsupported special operator/);
  });
});

describe('collection outcome (exact)', () => {
  it('accepts identical documents in any key order', () => {
    expect(() => assertSameDocuments([{ _id: 1, x: 11 }], [{ x: 11, _id: 1 }])).not.toThrow();
  });

  it('rejects extra root keys, extra documents and special operators', () => {
    expect(() => assertSameDocuments([{ _id: 1 }], [{ _id: 1, x: 1 }])).toThrow(MatchError);
    expect(() => assertSameDocuments([{ _id: 1 }], [{ _id: 1 }, { _id: 2 }])).toThrow(MatchError);
    expect(() => assertSameDocuments([], [{ _id: 1 }])).toThrow(MatchError);
    expect(() => assertSameDocuments([{ _id: 1, x: { $$exists: true } }], [{ _id: 1, x: 1 }])).toThrow(MatchError);
  });
});

describe('expectError', () => {
  const serverError = (): MongoServerError =>
    new MongoServerError({ ok: 0, code: 11000, codeName: 'DuplicateKey', errmsg: 'E11000 duplicate key', keyValue: { x: 'foo' } });
  const check = (expected: Record<string, unknown>, error: unknown) => () => assertExpectedError(expected, error, entities({}), 'op');

  it('tells client errors from server errors', () => {
    expect(check({ isClientError: true }, new MongoInvalidArgumentError('bad'))).not.toThrow();
    expect(check({ isClientError: true }, serverError())).toThrow(MatchError);
    expect(check({ isClientError: false }, new MongoInvalidArgumentError('bad'))).toThrow(MatchError);
  });

  it('checks code, code name, message and the server response', () => {
    expect(check({ errorCode: 11000, errorCodeName: 'duplicatekey', errorContains: 'DUPLICATE' }, serverError())).not.toThrow();
    expect(check({ errorCode: 11001 }, serverError())).toThrow(MatchError);
    expect(check({ errorCodeName: 'NamespaceNotFound' }, serverError())).toThrow(MatchError);
    expect(check({ errorContains: 'not in the message' }, serverError())).toThrow(MatchError);
    expect(check({ errorResponse: { keyValue: { x: 'foo' } } }, serverError())).not.toThrow();
    expect(check({ errorResponse: { keyValue: { x: 'bar' } } }, serverError())).toThrow(MatchError);
    expect(check({ errorCode: 11000 }, new MongoInvalidArgumentError('bad'))).toThrow(MatchError);
  });

  it('refuses assertions it does not implement', () => {
    expect(check({ writeErrors: {} }, serverError())).toThrow(/not supported/);
  });
});

describe('expected command events', () => {
  const started: CommandRecord = {
    type: 'commandStartedEvent',
    commandName: 'find',
    databaseName: 'db0',
    command: { find: 'coll', filter: { _id: 1 }, lsid: { id: 1 }, $db: 'db0' },
  };
  const check = (expected: Record<string, unknown>) => () => assertEvent(expected, started, entities({}), 'ev');

  it('matches the command as a root document and the names exactly', () => {
    expect(check({ commandStartedEvent: { command: { find: 'coll', filter: { _id: 1 } }, commandName: 'find', databaseName: 'db0' } })).not.toThrow();
    expect(check({ commandStartedEvent: { command: { filter: { _id: 2 } } } })).toThrow(MatchError);
    expect(check({ commandStartedEvent: { command: { filter: {} } } })).toThrow(MatchError);
    expect(check({ commandStartedEvent: { commandName: 'aggregate' } })).toThrow(MatchError);
    expect(check({ commandStartedEvent: { databaseName: 'other' } })).toThrow(MatchError);
    expect(check({ commandSucceededEvent: { commandName: 'find' } })).toThrow(MatchError);
  });
});
