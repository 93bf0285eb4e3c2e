import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STALE_MS } from '../../src/modules/admin-catalog/import-service.js';
import { PRODUCT_IMPORTS, type ImportDoc } from '../../src/modules/admin-catalog/import-repository.js';
import type { TestAgent } from '../helpers/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { signedInAgent } from './admin-fixtures.js';

/** An import left "running" by a worker that is gone (crash, restart) is shown as interrupted, not in progress forever. */
describe('admin products: an import whose worker is gone', () => {
  let t: TestApp;
  let staff: TestAgent;
  const imports = () => t.db.collection<ImportDoc>(PRODUCT_IMPORTS);

  beforeAll(async () => {
    t = await createTestApp();
    staff = (await signedInAgent(t, 'staff')).agent;
  });
  afterAll(async () => t?.close());

  async function runningJob(heartbeatAgoMs: number | undefined, startedAgoMs: number): Promise<ObjectId> {
    const now = Date.now();
    const _id = new ObjectId();
    await imports().insertOne({
      _id, status: 'running', fileName: 'products.csv', createdBy: { id: 'x', email: 'x@example.com' }, ip: '127.0.0.1',
      createdAt: new Date(now - startedAgoMs), startedAt: new Date(now - startedAgoMs), rows: [], total: 100, processed: 25,
      counts: { create: 100, update: 0, reject: 0, unchanged: 0 },
      ...(heartbeatAgoMs === undefined ? {} : { heartbeatAt: new Date(now - heartbeatAgoMs) }),
    });
    return _id;
  }

  it('marks a job with a stale heartbeat (or none, from before heartbeats) interrupted when its page loads', async () => {
    for (const id of [await runningJob(STALE_MS + 5000, STALE_MS * 3), await runningJob(undefined, STALE_MS * 2)]) {
      const page = await staff.get(`/admin/products/import/${id.toHexString()}`);
      expect(page.status).toBe(200);
      expect(page.html().querySelector('.import-status')?.text).toContain('The import was interrupted');
      expect(page.html().querySelector('meta[http-equiv=refresh]')).toBeNull();
      expect(page.html().querySelector('progress')).toBeNull();
      expect(await imports().findOne({ _id: id })).toMatchObject({ status: 'failed', interrupted: true, processed: 25 });
    }
  });

  it('leaves a job whose worker beats recently running, with its progress and refresh', async () => {
    const id = await runningJob(1000, STALE_MS * 3);
    const page = await staff.get(`/admin/products/import/${id.toHexString()}`);
    expect(page.html().querySelector('.import-status')?.text).toContain('25');
    expect(page.html().querySelector('meta[http-equiv=refresh]')).not.toBeNull();
    expect((await imports().findOne({ _id: id }))?.status).toBe('running');
  });

  it('a job applied here beats while it runs and ends done, never interrupted', async () => {
    const id = await runningJob(1000, 1000);
    await imports().updateOne({ _id: id }, { $set: { status: 'planned' }, $unset: { heartbeatAt: '' } });
    const actor = { id: 'x', email: 'x@example.com', ip: '127.0.0.1', role: 'staff' as const };
    const { started, done } = await t.services.adminCatalog.imports.apply(actor, id);
    expect(started).toBe(true);
    expect((await imports().findOne({ _id: id }))?.heartbeatAt).toBeInstanceOf(Date);
    await done;
    expect(await imports().findOne({ _id: id })).toMatchObject({ status: 'done' });
    expect((await imports().findOne({ _id: id }))?.interrupted).toBeUndefined();
  });
});
