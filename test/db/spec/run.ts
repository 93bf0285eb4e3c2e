// `npm run test:spec`: MongoDB's unified-format driver tests against the embedded server
// (or against MONGO_SPEC_URI when set, e.g. a real mongod to check the runner itself).
// Optional arguments filter the files by substring: `npm run test:spec -- crud__find`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { listSpecFiles, readManifest } from './loader.js';
import { probeServer } from './requirements.js';
import { runSpecFile, type TestResult } from './runner.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

async function startServer(): Promise<{ uri: string; stop(): Promise<void> }> {
  const external = process.env.MONGO_SPEC_URI;
  if (external) return { uri: external, stop: async () => undefined };
  const { startEmbeddedMongo } = await import('../../../src/db/embedded/index.js');
  const server = await startEmbeddedMongo();
  return { uri: server.uri, stop: () => server.stop() };
}

function line(r: TestResult): string {
  const name = `${r.file} › ${r.test}`;
  if (r.status === 'PASS') return `PASS ${name}`;
  return `${r.status} ${name}: ${r.reason ?? ''}`;
}

async function main(): Promise<number> {
  const dir = resolve(process.env.MONGO_SPEC_DIR ?? join(repoRoot, '../shared/mongo-spec'));
  if (!existsSync(dir)) {
    console.log(`\n${'!'.repeat(72)}\n!! SPEC TESTS SKIPPED: ${dir} not found (MONGO_SPEC_DIR points elsewhere)\n${'!'.repeat(72)}\n`);
    return 0;
  }
  const filters = process.argv.slice(2);
  const files = listSpecFiles(dir).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
  const manifest = readManifest(dir);
  const server = await startServer();
  const internal = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
  const counts = { PASS: 0, FAIL: 0, SKIP: 0 };
  try {
    await internal.connect();
    const info = await probeServer(internal, server.uri, manifest.serverProfile);
    const profile = manifest.serverProfile;
    console.log(
      `server ${info.versionString} (${info.version.join('.')}), topology ${info.topology}` +
        (profile ? `; manifest profile ${profile.version} ${profile.topology}` : ''),
    );
    const timeout = Number(process.env.SPEC_TEST_TIMEOUT_MS ?? 20000);
    for (const file of files) {
      const results = await runSpecFile(
        { uri: server.uri, internal, info, manifest, testTimeoutMs: timeout },
        file,
        readFileSync(join(dir, file), 'utf8'),
      );
      // Self-check of the runner: requirements and skips must admit exactly what the manifest says.
      const ran = results.filter((r) => r.status !== 'SKIP').length;
      const expected = manifest.expectedToRun[file];
      if (expected !== undefined && ran !== expected) {
        results.push({ file, test: '(manifest)', status: 'FAIL', reason: `ran ${ran} tests, manifest expects ${expected}` });
      }
      for (const r of results) {
        counts[r.status] += 1;
        console.log(line(r));
      }
    }
  } catch (error) {
    counts.FAIL += 1;
    console.log(`FAIL (runner) › setup: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await internal.close().catch(() => undefined);
    await server.stop().catch(() => undefined);
  }
  console.log(`${counts.PASS} passed, ${counts.FAIL} failed, ${counts.SKIP} skipped`);
  return counts.FAIL > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed, 0 skipped');
    process.exit(1);
  },
);
