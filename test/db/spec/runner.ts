// Running one unified-format file: requirements, initialData, entities, operations,
// expectEvents and outcome, each test isolated (unified-test-format.md, "Test Runner Implementation").
import type { MongoClient } from 'mongodb';
import { MongoServerError } from 'mongodb';
import { EntityMap } from './entities.js';
import { assertExpectedEvents, summarize } from './events.js';
import { describeError } from './expect-error.js';
import { asUnifiedFile, parseExtendedJson, schemaVersionProblem } from './loader.js';
import type { CollectionData, Manifest, UnifiedFile } from './loader.js';
import { assertSameDocuments, MatchError } from './matcher.js';
import { SkipTest } from './op-args.js';
import { executeOperation } from './operations.js';
import { unmetRequirements, type ServerInfo } from './requirements.js';
import { UnsupportedError } from './runner-error.js';

export interface TestResult {
  file: string;
  test: string;
  status: 'PASS' | 'FAIL' | 'SKIP';
  reason?: string;
}

export interface RunConfig {
  uri: string;
  internal: MongoClient;
  info: ServerInfo;
  manifest: Manifest;
  /** Per-test limit, so a server that never answers cannot hang the whole run. */
  testTimeoutMs: number;
}

export async function runSpecFile(cfg: RunConfig, fileName: string, text: string): Promise<TestResult[]> {
  let file: UnifiedFile;
  try {
    file = asUnifiedFile(parseExtendedJson(text));
  } catch (error) {
    return [{ file: fileName, test: '(file)', status: 'FAIL', reason: `cannot load: ${describeError(error)}` }];
  }
  const all = (status: TestResult['status'], reason: string): TestResult[] =>
    file.tests.map((t) => ({ file: fileName, test: t.description, status, reason }));
  const versionProblem = schemaVersionProblem(file.schemaVersion);
  if (versionProblem !== null) return all('FAIL', versionProblem);
  const unmet = await unmetRequirements(file.runOnRequirements, cfg.info, cfg.internal);
  if (unmet !== null) return all('SKIP', unmet);

  const results: TestResult[] = [];
  for (let i = 0; i < file.tests.length; i += 1) {
    const description = file.tests[i]!.description;
    const { status, reason } = await runTest(cfg, fileName, text, i);
    results.push({ file: fileName, test: description, status, reason });
  }
  return results;
}

async function runTest(cfg: RunConfig, fileName: string, text: string, index: number): Promise<Omit<TestResult, 'file' | 'test'>> {
  // Parsed again for every test: no object is shared between two tests.
  const file = asUnifiedFile(parseExtendedJson(text));
  const test = file.tests[index]!;
  const manifestReason = cfg.manifest.skipTests[fileName]?.[test.description];
  if (manifestReason !== undefined) return { status: 'SKIP', reason: `manifest: ${manifestReason}` };
  if (test.skipReason !== undefined) return { status: 'SKIP', reason: test.skipReason };
  const unmet = await unmetRequirements(test.runOnRequirements, cfg.info, cfg.internal);
  if (unmet !== null) return { status: 'SKIP', reason: unmet };

  const entities = new EntityMap(cfg.uri);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test timed out after ${cfg.testTimeoutMs} ms`)), cfg.testTimeoutMs);
  });
  try {
    await Promise.race([executeTest(cfg, file, index, entities), timeout]);
    return { status: 'PASS' };
  } catch (error) {
    if (error instanceof SkipTest) return { status: 'SKIP', reason: error.message };
    return { status: 'FAIL', reason: failureReason(error, entities) };
  } finally {
    clearTimeout(timer);
    await Promise.race([entities.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
}

async function executeTest(cfg: RunConfig, file: UnifiedFile, index: number, entities: EntityMap): Promise<void> {
  const test = file.tests[index]!;
  if (test.expectLogMessages !== undefined) throw new UnsupportedError('expectLogMessages');
  try {
    await setUpData(cfg.internal, file.initialData ?? []);
  } catch (error) {
    throw new Error(`initialData failed: ${describeError(error)}`);
  }
  for (const spec of file.createEntities ?? []) await entities.create(spec);
  for (const client of entities.clients()) client.recording = true;
  for (const [i, op] of test.operations.entries()) await executeOperation(op, i, entities, { internal: cfg.internal });
  for (const client of entities.clients()) client.recording = false;
  for (const client of entities.clients()) client.sent = [];

  for (const spec of test.expectEvents ?? []) {
    const client = entities.get(spec.client, 'client');
    assertExpectedEvents(spec, client.observed, entities);
  }
  for (const data of test.outcome ?? []) {
    const docs = await cfg.internal
      .db(data.databaseName)
      .collection(data.collectionName)
      .find({}, { sort: { _id: 1 }, readPreference: 'primary', readConcern: { level: 'local' } })
      .toArray();
    assertSameDocuments(data.documents, docs, `outcome ${data.databaseName}.${data.collectionName}`);
  }
}

/** Drop, (create), insert with w:majority through the internal client. */
export async function setUpData(internal: MongoClient, data: CollectionData[]): Promise<void> {
  const majority = { writeConcern: { w: 'majority' as const } };
  for (const cd of data) {
    const db = internal.db(cd.databaseName);
    try {
      await db.collection(cd.collectionName).drop(majority);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 26)) throw error;
    }
    if (cd.createOptions !== undefined) await db.createCollection(cd.collectionName, { ...cd.createOptions, ...majority });
    if (cd.documents.length > 0) await db.collection(cd.collectionName).insertMany(cd.documents, majority);
    else if (cd.createOptions === undefined) await db.createCollection(cd.collectionName, majority);
  }
}

function failureReason(error: unknown, entities: EntityMap): string {
  const base = error instanceof MatchError || error instanceof Error ? error.message : String(error);
  const sent = entities.clients().flatMap((c) => c.sent);
  // What the failing operation sent and got back: what the server helpers need to reproduce it.
  return sent.length > 0 ? `${base} || wire: ${summarize(sent)}` : base;
}
