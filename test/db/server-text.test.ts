import { describe, expect, it } from 'vitest';
import { useServerWithClient } from './fixtures/server-client.js';

const shared = useServerWithClient('txt');
const { freshDb } = shared;

describe('text search', () => {
  it('is diacritic-insensitive, scores by term frequency and weight, sorts by textScore', async () => {
    const coll = freshDb().collection<{ _id: number; title: string; translations?: { title: string }[]; score?: number }>('products');
    await coll.createIndex({ title: 'text', 'translations.title': 'text' }, { weights: { title: 10 } });
    await coll.insertMany([
      { _id: 1, title: 'Café moído', translations: [{ title: 'ground coffee' }] },
      { _id: 2, title: 'Xícara', translations: [{ title: 'cafe cup' }] },
      { _id: 3, title: 'Ação de graças', translations: [{ title: 'thanksgiving' }] },
      { _id: 4, title: 'Chá verde' },
    ]);
    const cafe = await coll
      .find({ $text: { $search: 'cafe' } }, { projection: { score: { $meta: 'textScore' } } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();
    expect(cafe.map((d) => d._id)).toEqual([1, 2]);
    expect(cafe[0]!.score).toBeGreaterThan(cafe[1]!.score ?? Infinity);
    expect((await coll.find({ $text: { $search: 'acao' } }).toArray()).map((d) => d._id)).toEqual([3]);
    expect((await coll.find({ $text: { $search: 'cafe -cup' } }).toArray()).map((d) => d._id)).toEqual([1]);
    expect((await coll.find({ $text: { $search: '"ground coffee"' } }).toArray()).map((d) => d._id)).toEqual([1]);
  });

  it('follows updates and deletes, lists the index as mongod does, and allows only one', async () => {
    const coll = freshDb().collection<{ _id: number; body: string }>('posts');
    await coll.createIndex({ body: 'text' });
    await coll.insertOne({ _id: 1, body: 'old words' });
    await coll.updateOne({ _id: 1 }, { $set: { body: 'new words' } });
    expect(await coll.countDocuments({ $text: { $search: 'old' } })).toBe(0);
    expect(await coll.countDocuments({ $text: { $search: 'new' } })).toBe(1);
    const [, text] = await coll.listIndexes().toArray();
    expect(text).toMatchObject({ name: 'body_text', key: { _fts: 'text', _ftsx: 1 }, weights: { body: 1 }, textIndexVersion: 3 });
    await expect(coll.createIndex({ other: 'text' })).rejects.toMatchObject({ code: 85 });
    await coll.deleteOne({ _id: 1 });
    expect(await coll.countDocuments({ $text: { $search: 'new' } })).toBe(0);
  });

  it('$text without a text index is error 27', async () => {
    const coll = freshDb().collection('plain');
    await coll.insertOne({ a: 'x' });
    await expect(coll.find({ $text: { $search: 'x' } }).toArray()).rejects.toMatchObject({ code: 27, message: 'text index required for $text query' });
  });

  it('works in an aggregation $match with $meta textScore', async () => {
    const coll = freshDb().collection<{ _id: number; t: string }>('agg');
    await coll.createIndex({ t: 'text' });
    await coll.insertMany([{ _id: 1, t: 'red red shoe' }, { _id: 2, t: 'red hat' }]);
    const out = await coll.aggregate([{ $match: { $text: { $search: 'red' } } }, { $sort: { s: { $meta: 'textScore' } } }, { $project: { s: { $meta: 'textScore' } } }]).toArray();
    expect(out.map((d) => d._id)).toEqual([1, 2]);
  });
});
