// Loading unified-format files and the manifest; the shapes the runner relies on.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EJSON } from 'bson';
import { bsonTag, isDocument } from './bson-values.js';
import type { Doc } from './bson-values.js';

export interface RunOnRequirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  serverParameters?: Doc;
  auth?: boolean;
  authMechanism?: string;
  csfle?: boolean;
}

export interface CollectionData {
  collectionName: string;
  databaseName: string;
  createOptions?: Doc;
  documents: Doc[];
}

export interface Operation {
  name: string;
  object: string;
  arguments?: Doc;
  expectResult?: unknown;
  expectError?: Doc;
  ignoreResultAndError?: boolean;
  saveResultAsEntity?: string;
}

export interface ExpectedEventsForClient {
  client: string;
  eventType?: string;
  events: Doc[];
  ignoreExtraEvents?: boolean;
}

export interface UnifiedTest {
  description: string;
  runOnRequirements?: RunOnRequirement[];
  skipReason?: string;
  operations: Operation[];
  expectEvents?: ExpectedEventsForClient[];
  expectLogMessages?: unknown;
  outcome?: CollectionData[];
}

export interface UnifiedFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: RunOnRequirement[];
  createEntities?: Doc[];
  initialData?: CollectionData[];
  tests: UnifiedTest[];
}

export interface ServerProfile {
  version: string;
  topology: string;
  serverless: boolean;
  auth: boolean;
}

export interface Manifest {
  serverProfile?: ServerProfile;
  /** file name → test description → reason */
  skipTests: Record<string, Record<string, string>>;
  /** file name → how many of its tests must run (neither skipped by requirements nor by the manifest) */
  expectedToRun: Record<string, number>;
}

/** The newest schema version this runner implements (unified-test-format.md, 1.x). */
export const SUPPORTED_SCHEMA = [1, 19] as const;

export function listSpecFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
    .sort();
}

export function readManifest(dir: string): Manifest {
  let raw: string;
  try {
    raw = readFileSync(join(dir, 'manifest.json'), 'utf8');
  } catch {
    return { skipTests: {}, expectedToRun: {} };
  }
  const parsed: unknown = JSON.parse(raw);
  if (!isDocument(parsed) || parsed instanceof Map) throw new Error('manifest.json is not an object');
  const profile = parsed.server_profile;
  const skip = parsed.skip_tests;
  const expectedToRun: Record<string, number> = {};
  if (Array.isArray(parsed.files)) {
    for (const f of parsed.files as Array<Record<string, unknown>>) {
      const n = f['expected_to_run_at_7.0'];
      if (typeof f.file === 'string' && typeof n === 'number') expectedToRun[f.file] = n;
    }
  }
  return {
    expectedToRun,
    serverProfile: isDocument(profile) ? (profile as unknown as ServerProfile) : undefined,
    skipTests: isDocument(skip) ? (skip as unknown as Record<string, Record<string, string>>) : {},
  };
}

/**
 * Extended JSON → JS values, parsed fresh for every test so no state leaks between tests.
 * Canonical parsing keeps $numberLong/$numberDouble types; int32 wrappers become plain numbers
 * (the driver sends integral numbers as int32 anyway) and non-integral doubles too.
 */
export function parseExtendedJson(text: string): unknown {
  return relax(EJSON.parse(text, { relaxed: false }));
}

function relax(value: unknown): unknown {
  const tag = bsonTag(value);
  if (tag === 'Int32') return (value as { value: number }).value;
  if (tag === 'Double') {
    const n = (value as { value: number }).value;
    return Number.isInteger(n) && !Object.is(n, -0) ? value : n;
  }
  if (Array.isArray(value)) return value.map(relax);
  if (isDocument(value) && !(value instanceof Map)) {
    const out: Doc = {};
    for (const [k, v] of Object.entries(value)) out[k] = relax(v);
    return out;
  }
  return value;
}

export function asUnifiedFile(parsed: unknown): UnifiedFile {
  if (!isDocument(parsed) || parsed instanceof Map) throw new Error('test file is not a document');
  if (typeof parsed.schemaVersion !== 'string') throw new Error('test file has no schemaVersion');
  if (!Array.isArray(parsed.tests)) throw new Error('test file has no tests array');
  return parsed as unknown as UnifiedFile;
}

export function parseVersion(v: string): number[] {
  const parts = v.split(/[.-]/).slice(0, 3).map((p) => Number.parseInt(p, 10));
  while (parts.length < 3) parts.push(0);
  if (parts.some((p) => Number.isNaN(p))) throw new Error(`malformed version string "${v}"`);
  return parts;
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** null when the file can be run, else why not. */
export function schemaVersionProblem(version: string): string | null {
  const [major, minor] = parseVersion(version);
  if (major !== SUPPORTED_SCHEMA[0] || (minor ?? 0) > SUPPORTED_SCHEMA[1]) {
    return `schemaVersion ${version} not supported (runner implements ${SUPPORTED_SCHEMA.join('.')})`;
  }
  return null;
}
