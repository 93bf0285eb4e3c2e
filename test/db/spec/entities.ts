// The entity map of one test: clients (with their observed command events), databases,
// collections, sessions, GridFS buckets and saved BSON values.
import { GridFSBucket, MongoClient, ReadPreference } from 'mongodb';
import type { ClientSession, Collection, Db, ReadPreferenceMode, TagSet } from 'mongodb';
import { isDocument } from './bson-values.js';
import type { Doc } from './bson-values.js';
import { attachCommandRecorder, type CommandRecord } from './events.js';
import type { MatchContext } from './matcher.js';
import { RunnerError, UnsupportedError } from './runner-error.js';

export { UnsupportedError } from './runner-error.js';

export interface ClientEntity {
  kind: 'client';
  client: MongoClient;
  /** Events the test asked to observe (observeEvents minus ignored commands). */
  observed: CommandRecord[];
  /** Every command this client sent during the current operation, for failure reports. */
  sent: CommandRecord[];
  recording: boolean;
}

export type Entity =
  | ClientEntity
  | { kind: 'database'; db: Db }
  | { kind: 'collection'; collection: Collection<Doc> }
  | { kind: 'session'; session: ClientSession; lsid: unknown }
  | { kind: 'bucket'; bucket: GridFSBucket }
  | { kind: 'value'; value: unknown };

type KindOf<K extends Entity['kind']> = Extract<Entity, { kind: K }>;

const SUPPORTED_OBSERVE = new Set(['commandStartedEvent', 'commandSucceededEvent', 'commandFailedEvent']);

export class EntityMap implements MatchContext {
  private readonly map = new Map<string, Entity>();

  constructor(private readonly uri: string) {}

  get<K extends Entity['kind']>(name: string, kind: K): KindOf<K> {
    const entity = this.map.get(name);
    if (entity === undefined) throw new RunnerError(`entity "${name}" is not defined`);
    if (entity.kind !== kind) throw new RunnerError(`entity "${name}" is a ${entity.kind}, not a ${kind}`);
    return entity as KindOf<K>;
  }

  kindOf(name: string): Entity['kind'] {
    const entity = this.map.get(name);
    if (entity === undefined) throw new RunnerError(`entity "${name}" is not defined`);
    return entity.kind;
  }

  set(name: string, entity: Entity): void {
    if (this.map.has(name)) throw new RunnerError(`entity "${name}" already exists`);
    this.map.set(name, entity);
  }

  saveValue(name: string, value: unknown): void {
    if (value === undefined) throw new RunnerError(`saveResultAsEntity "${name}": the operation returned no result`);
    this.set(name, { kind: 'value', value });
  }

  entityValue(name: string): unknown {
    return this.get(name, 'value').value;
  }

  sessionLsid(name: string): unknown {
    return this.get(name, 'session').lsid;
  }

  clients(): ClientEntity[] {
    return [...this.map.values()].filter((e): e is ClientEntity => e.kind === 'client');
  }

  async create(spec: Doc): Promise<void> {
    const keys = Object.keys(spec);
    if (keys.length !== 1) throw new RunnerError(`an entity needs exactly one type key, got ${keys.join(', ')}`);
    const type = keys[0]!;
    const body = spec[type];
    if (!isDocument(body) || body instanceof Map || typeof body.id !== 'string') throw new RunnerError(`${type} entity needs an id`);
    const id = body.id;
    switch (type) {
      case 'client':
        this.set(id, this.createClient(body));
        return;
      case 'database': {
        const client = this.get(String(body.client), 'client').client;
        this.set(id, { kind: 'database', db: client.db(String(body.databaseName), commonOptions(body.databaseOptions)) });
        return;
      }
      case 'collection': {
        const db = this.get(String(body.database), 'database').db;
        const options = commonOptions(body.collectionOptions);
        this.set(id, { kind: 'collection', collection: db.collection<Doc>(String(body.collectionName), options) });
        return;
      }
      case 'session': {
        const client = this.get(String(body.client), 'client').client;
        const raw = isDocument(body.sessionOptions) && !(body.sessionOptions instanceof Map) ? body.sessionOptions : {};
        const options: Doc = { ...raw };
        if (isDocument(raw.defaultTransactionOptions)) options.defaultTransactionOptions = commonOptions(raw.defaultTransactionOptions);
        const session = client.startSession(options);
        this.set(id, { kind: 'session', session, lsid: session.id });
        return;
      }
      case 'bucket': {
        const db = this.get(String(body.database), 'database').db;
        this.set(id, { kind: 'bucket', bucket: new GridFSBucket(db, commonOptions(body.bucketOptions)) });
        return;
      }
      default:
        throw new UnsupportedError(`entity type "${type}"`);
    }
  }

  private createClient(body: Doc): ClientEntity {
    for (const key of ['storeEventsAsEntities', 'observeLogMessages', 'autoEncryptOpts']) {
      if (body[key] !== undefined) throw new UnsupportedError(`client option ${key}`);
    }
    const observe = Array.isArray(body.observeEvents) ? body.observeEvents.map(String) : [];
    for (const name of observe) if (!SUPPORTED_OBSERVE.has(name)) throw new UnsupportedError(`observing ${name}`);
    const ignore = Array.isArray(body.ignoreCommandMonitoringEvents) ? body.ignoreCommandMonitoringEvents.map(String) : [];
    const url = clientUri(this.uri, body.uriOptions);
    const options: Doc = { monitorCommands: true };
    if (isDocument(body.serverApi)) options.serverApi = body.serverApi;
    const client = new MongoClient(url, options);
    const entity: ClientEntity = { kind: 'client', client, observed: [], sent: [], recording: false };
    attachCommandRecorder(client, entity, {
      observe: new Set(observe),
      ignore: new Set(ignore),
      observeSensitive: body.observeSensitiveCommands === true,
    });
    return entity;
  }

  /** End sessions and close clients; errors here must not hide the test's own result. */
  async close(): Promise<void> {
    for (const entity of this.map.values()) {
      if (entity.kind === 'client') entity.recording = false;
    }
    for (const entity of this.map.values()) {
      if (entity.kind === 'session') await entity.session.endSession().catch(() => undefined);
    }
    for (const entity of this.map.values()) {
      if (entity.kind === 'client') await entity.client.close().catch(() => undefined);
    }
    this.map.clear();
  }
}

/** uriOptions go into the connection string so the driver parses them exactly as from a URI. */
function clientUri(base: string, uriOptions: unknown): string {
  const url = new URL(base);
  if (!url.searchParams.has('serverSelectionTimeoutMS')) url.searchParams.set('serverSelectionTimeoutMS', '5000');
  if (uriOptions === undefined) return url.toString();
  if (!isDocument(uriOptions) || uriOptions instanceof Map) throw new RunnerError('uriOptions must be a document');
  for (const [key, value] of Object.entries(uriOptions)) {
    if (isDocument(value) && !(value instanceof Map) && '$$placeholder' in value) throw new UnsupportedError('$$placeholder');
    url.searchParams.delete(key);
    if (key === 'readPreferenceTags' && Array.isArray(value)) {
      for (const tags of value) url.searchParams.append(key, String(tags));
    } else if (isDocument(value) && !(value instanceof Map)) {
      url.searchParams.set(key, Object.entries(value).map(([k, v]) => `${k}:${String(v)}`).join(','));
    } else {
      url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

/** readConcern / readPreference / writeConcern in the format's shapes → driver options. */
export function commonOptions(raw: unknown): Doc {
  if (raw === undefined) return {};
  if (!isDocument(raw) || raw instanceof Map) throw new RunnerError('options must be a document');
  const out: Doc = { ...raw };
  const rp = raw.readPreference;
  if (isDocument(rp) && !(rp instanceof Map)) {
    const extra: Doc = {};
    if (rp.maxStalenessSeconds !== undefined) extra.maxStalenessSeconds = rp.maxStalenessSeconds;
    if (rp.hedge !== undefined) extra.hedge = rp.hedge;
    const tags = Array.isArray(rp.tagSets) ? (rp.tagSets as TagSet[]) : undefined;
    out.readPreference = new ReadPreference(String(rp.mode) as ReadPreferenceMode, tags, extra);
  }
  return out;
}
