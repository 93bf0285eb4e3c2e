import { MinKey } from 'bson';
import { describe, expect, it } from 'vitest';
import { compileProjection } from '../../../src/db/embedded/query/projection.js';
import { compileSort } from '../../../src/db/embedded/query/sort.js';

const code = (c: number) => expect.objectContaining({ code: c });

describe('compileProjection', () => {
  const doc = { _id: 1, item: 'journal', status: 'A', size: { h: 14, w: 21, uom: 'cm' }, instock: [{ warehouse: 'A', qty: 5 }, { warehouse: 'C', qty: 15 }] };
  it('inclusion keeps _id and document order (docs: Project Fields to Return from Query)', () => {
    expect(compileProjection({ status: 1, item: 1 })(doc)).toEqual({ _id: 1, item: 'journal', status: 'A' });
    expect(Object.keys(compileProjection({ status: 1, item: 1 })(doc))).toEqual(['_id', 'item', 'status']);
    expect(compileProjection({ item: 1, _id: 0 })(doc)).toEqual({ item: 'journal' });
  });
  it('exclusion', () => {
    expect(compileProjection({ status: 0, instock: 0, size: 0 })(doc)).toEqual({ _id: 1, item: 'journal' });
    expect(compileProjection({ 'size.uom': 0, instock: 0 })(doc)).toEqual({ _id: 1, item: 'journal', status: 'A', size: { h: 14, w: 21 } });
  });
  it('dotted inclusion through arrays of documents (docs: Project Specific Fields in Embedded Documents in an Array)', () => {
    expect(compileProjection({ item: 1, 'instock.qty': 1 })(doc)).toEqual({ _id: 1, item: 'journal', instock: [{ qty: 5 }, { qty: 15 }] });
    expect(compileProjection({ size: { uom: 1 } })(doc)).toEqual({ _id: 1, size: { uom: 'cm' } });
  });
  it('copy: false shares the included values but never changes the document (a find reply)', () => {
    const stored = { _id: 1, size: { h: 14 }, a: [{ k: 1, v: 'x' }, { k: 2, v: 'y' }], tags: ['p', 'q', 'r'] };
    const before = structuredClone(stored);
    const shared = compileProjection({ size: 1, 'a.k': 1, tags: { $slice: 1 } }, { copy: false })(stored);
    expect(shared).toEqual({ _id: 1, size: { h: 14 }, a: [{ k: 1 }, { k: 2 }], tags: ['p'] });
    expect(shared.size).toBe(stored.size);
    const positional = compileProjection({ 'tags.$': 1 }, { copy: false })(stored, { arrayIndex: 2 });
    expect(positional).toEqual({ _id: 1, tags: ['r'] });
    expect(stored).toEqual(before);
    // The default copies: a kept result is independent of the document.
    expect(compileProjection({ size: 1 })(stored).size).not.toBe(stored.size);
  });
  it('mixing inclusion and exclusion is an error; collisions too', () => {
    expect(() => compileProjection({ a: 1, b: 0 })).toThrow(code(31254));
    expect(() => compileProjection({ a: 1, 'a.b': 1 })).toThrow(code(31250));
  });
  it('$slice: n, -n, [skip, limit] (docs: $slice projection)', () => {
    const d = { _id: 1, a: [1, 2, 3, 4, 5], b: 'x' };
    expect(compileProjection({ a: { $slice: 2 } })(d)).toEqual({ _id: 1, a: [1, 2], b: 'x' });
    expect(compileProjection({ a: { $slice: -2 } })(d)).toEqual({ _id: 1, a: [4, 5], b: 'x' });
    expect(compileProjection({ a: { $slice: [1, 2] } })(d)).toEqual({ _id: 1, a: [2, 3], b: 'x' });
    expect(compileProjection({ a: { $slice: [-2, 5] } })(d)).toEqual({ _id: 1, a: [4, 5], b: 'x' });
  });
  it('$elemMatch returns the first matching element only (docs: $elemMatch projection)', () => {
    const school = { _id: 1, zipcode: '63109', students: [{ name: 'john', school: 102, age: 10 }, { name: 'jess', school: 102, age: 11 }] };
    expect(compileProjection({ students: { $elemMatch: { school: 102 } } })(school)).toEqual({ _id: 1, students: [{ name: 'john', school: 102, age: 10 }] });
    expect(compileProjection({ students: { $elemMatch: { school: 999 } } })(school)).toEqual({ _id: 1 });
  });
  it('positional a.$ uses the match details', () => {
    const d = { _id: 3, semester: 1, grades: [85, 100, 90] };
    expect(compileProjection({ 'grades.$': 1 })(d, { arrayIndex: 1 })).toEqual({ _id: 3, grades: [100] });
    expect(() => compileProjection({ 'grades.$': 1 })(d, {})).toThrow(code(51246));
  });
  it('$meta textScore and computed fields', () => {
    const p = compileProjection({ score: { $meta: 'textScore' } }, { textScore: () => 1.5 });
    expect(p({ _id: 1, t: 'x' })).toEqual({ _id: 1, t: 'x', score: 1.5 });
    expect(compileProjection({ item: 1, full: { $concat: ['$item', '!'] }, lit: { $literal: 1 } })(doc)).toEqual({ _id: 1, item: 'journal', full: 'journal!', lit: 1 });
  });
  it('a computed _id stays first', () => {
    expect(Object.keys(compileProjection({ a: 1, _id: '$a' })({ _id: 1, a: 5 }))).toEqual(['_id', 'a']);
  });
  it('does not share containers with the input', () => {
    const d = { _id: 1, a: { b: [1] } };
    const out = compileProjection(undefined)(d);
    expect(out).toEqual(d);
    expect(out.a).not.toBe(d.a);
  });
});

describe('compileSort', () => {
  const sorted = (docs: Record<string, unknown>[], spec: Record<string, unknown>) => [...docs].sort(compileSort(spec)).map((d) => d._id);
  it('multi-key ascending/descending', () => {
    const docs = [{ _id: 1, a: 2, b: 1 }, { _id: 2, a: 1, b: 5 }, { _id: 3, a: 2, b: 3 }];
    expect(sorted(docs, { a: 1, b: -1 })).toEqual([2, 3, 1]);
  });
  it('mixed types follow BSON order, missing sorts as null', () => {
    const docs = [{ _id: 1, a: 'x' }, { _id: 2 }, { _id: 3, a: 5 }, { _id: 4, a: null }, { _id: 5, a: new MinKey() }];
    expect(sorted(docs, { a: 1, _id: 1 })).toEqual([5, 2, 4, 3, 1]);
  });
  it('arrays: ascending by smallest element, descending by largest (docs: sort on array fields)', () => {
    const docs = [{ _id: 1, a: [1, 9] }, { _id: 2, a: [3, 4] }, { _id: 3, a: 2 }];
    expect(sorted(docs, { a: 1 })).toEqual([1, 3, 2]);
    expect(sorted(docs, { a: -1 })).toEqual([1, 2, 3]);
    expect(sorted([{ _id: 1, a: null }, { _id: 2, a: [] }], { a: 1 })).toEqual([2, 1]);
    expect(sorted([{ _id: 1, a: [{ b: 5 }, { b: 1 }] }, { _id: 2, a: [{ b: 2 }] }], { 'a.b': 1 })).toEqual([1, 2]);
  });
  it('$meta textScore sorts by descending score', () => {
    const cmp = compileSort({ s: { $meta: 'textScore' } }, { textScore: (d) => d.score as number });
    expect([{ score: 1 }, { score: 3 }, { score: 2 }].sort(cmp).map((d) => d.score)).toEqual([3, 2, 1]);
  });
  it('invalid values are BadValue', () => {
    expect(() => compileSort({ a: 2 })).toThrow(expect.objectContaining({ codeName: 'BadValue' }));
    expect(() => compileSort({ a: 'asc' })).toThrow(expect.objectContaining({ codeName: 'BadValue' }));
  });
});
