import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, preparedDataDir, startShop } from './multi-process-fixtures.js';

/**
 * `npm start` with WEB_CONCURRENCY=2 (src/server.ts → src/cluster.ts): the primary owns the
 * embedded database, two workers share the port, each log line says which worker served, and
 * SIGTERM to the primary lets a request in flight finish before everything exits 0.
 */

afterAll(() => killAll());

/** Sends the head of a POST now and its body on `finish()`: a request that is in flight meanwhile. */
function slowRequest(base: string): { finish: () => void; response: Promise<string> } {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  const body = 'q=in-flight';
  socket.write(`POST /cart/add HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`);
  const response = new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  return { finish: () => socket.end(body), response };
}

describe('WEB_CONCURRENCY=2', () => {
  it('serves from two workers, tags their log lines, and stops gracefully on SIGTERM', async () => {
    const dataDir = await preparedDataDir();
    const shop = await startShop({ DATA_DIR: dataDir, SESSION_SECRET: 'cluster-'.repeat(5), WEB_CONCURRENCY: '2' }, 2);
    expect(existsSync(join(dataDir, 'db.uri'))).toBe(true);

    // New connections are spread over the workers (round robin by the primary).
    for (let i = 0; i < 8; i++) {
      const r = await fetch(`${shop.base}/cart`, { headers: { connection: 'close' } });
      expect(r.status).toBe(200);
    }
    const completed = () => shop.logs.filter((l) => l.msg === 'request completed').length;
    for (let waited = 0; completed() < 8 && waited < 2000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const served = shop.logs.filter((l) => l.msg === 'request completed');
    const workers = new Set(served.map((l) => l.worker));
    expect([...workers].sort()).toEqual([1, 2]);
    expect(new Set(served.map((l) => l.pid)).size).toBe(2);
    expect(served.every((l) => l.pid !== shop.child.pid)).toBe(true);
    expect(shop.text.join('\n')).toContain('(2 processes)');

    const inFlight = slowRequest(shop.base);
    await new Promise((r) => setTimeout(r, 300)); // the worker has the request head and waits for the body
    shop.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    inFlight.finish();
    const response = await inFlight.response;
    expect(response).toMatch(/^HTTP\/1\.1 (303|403|422) /); // answered by the app, not cut off

    expect(await shop.exited).toEqual({ code: 0, signal: null });
    const stopped = shop.logs.filter((l) => l.msg === 'shutdown complete');
    expect(stopped.map((l) => l.worker ?? l.role).sort()).toEqual([1, 2, 'primary'].sort());
    // The primary closed the database after the workers: the published address is gone.
    expect(existsSync(join(dataDir, 'db.uri'))).toBe(false);
  }, 60_000);
});
