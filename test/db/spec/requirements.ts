// runOnRequirements, evaluated against what the server itself reports (buildInfo, hello).
import type { MongoClient } from 'mongodb';
import { compareVersions, parseVersion } from './loader.js';
import type { RunOnRequirement, ServerProfile } from './loader.js';
import { scalarMismatch } from './scalar-equal.js';

export interface ServerInfo {
  version: number[];
  versionString: string;
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
  /** Not detectable from the server (spec): taken from the manifest profile. */
  serverless: boolean;
  auth: boolean;
}

export async function probeServer(client: MongoClient, uri: string, profile?: ServerProfile): Promise<ServerInfo> {
  const admin = client.db('admin');
  const build = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 });
  const arr: unknown = build.versionArray;
  const version = Array.isArray(arr) ? arr.slice(0, 3).map((n) => Number(n)) : parseVersion(String(build.version));
  let topology: ServerInfo['topology'] = 'single';
  if (hello.msg === 'isdbgrid') topology = 'sharded';
  else if (typeof hello.setName === 'string') topology = 'replicaset';
  else if (hello.serviceId !== undefined) topology = 'load-balanced';
  // Auth is on when the connection string carries credentials (we connect as given).
  const auth = /^mongodb(\+srv)?:\/\/[^/@]+@/.test(uri);
  return { version, versionString: String(build.version), topology, serverless: profile?.serverless ?? false, auth };
}

/** null when one requirement is met, else a reason naming the first requirement's failure. */
export async function unmetRequirements(
  reqs: RunOnRequirement[] | undefined,
  info: ServerInfo,
  client: MongoClient,
): Promise<string | null> {
  if (reqs === undefined || reqs.length === 0) return null;
  const reasons: string[] = [];
  for (const req of reqs) {
    const why = await unmet(req, info, client);
    if (why === null) return null;
    reasons.push(why);
  }
  return `runOnRequirements not met: ${reasons.join('; ')}`;
}

async function unmet(req: RunOnRequirement, info: ServerInfo, client: MongoClient): Promise<string | null> {
  for (const key of Object.keys(req)) {
    if (!KNOWN_KEYS.has(key)) throw new Error(`unsupported runOnRequirement key "${key}"`);
  }
  if (req.minServerVersion !== undefined && compareVersions(info.version, parseVersion(req.minServerVersion)) < 0) {
    return `server ${info.version.join('.')} < min ${req.minServerVersion}`;
  }
  if (req.maxServerVersion !== undefined && compareVersions(info.version, parseVersion(req.maxServerVersion)) > 0) {
    return `server ${info.version.join('.')} > max ${req.maxServerVersion}`;
  }
  if (req.topologies !== undefined) {
    // MongoDB 3.6+ shards are always replica sets, so "sharded-replicaset" means "sharded".
    const ok = req.topologies.some((t) => t === info.topology || (t === 'sharded-replicaset' && info.topology === 'sharded'));
    if (!ok) return `topology ${info.topology} not in [${req.topologies.join(', ')}]`;
  }
  if (req.serverless === 'require' && !info.serverless) return 'needs serverless';
  if (req.serverless === 'forbid' && info.serverless) return 'forbids serverless';
  if (req.auth !== undefined && req.auth !== info.auth) return req.auth ? 'needs auth' : 'needs auth disabled';
  if (req.authMechanism !== undefined) return `needs auth mechanism ${req.authMechanism}`;
  if (req.csfle === true) return 'needs CSFLE (not supported by this runner)';
  if (req.serverParameters !== undefined) {
    for (const [name, want] of Object.entries(req.serverParameters)) {
      let got: unknown;
      try {
        const reply = await client.db('admin').command({ getParameter: 1, [name]: 1 });
        got = reply[name];
      } catch {
        return `server parameter ${name} unavailable`;
      }
      if (got === undefined || scalarMismatch(want, got) !== null) return `server parameter ${name} is not ${String(want)}`;
    }
  }
  return null;
}

const KNOWN_KEYS = new Set([
  'minServerVersion',
  'maxServerVersion',
  'topologies',
  'serverless',
  'serverParameters',
  'auth',
  'authMechanism',
  'csfle',
]);
