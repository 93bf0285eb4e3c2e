import type { FastifySessionObject } from '@fastify/session';

/**
 * What a visitor without a session cookie sees as `request.session`: an empty session that costs
 * nothing until it is written to. Reading a data field (`session.cartId`, `'flash' in session`)
 * answers "absent" without creating anything; writing or deleting a field, reading the cookie or
 * id, or calling a method (regenerate, save, …) creates the real @fastify/session Session through
 * `materialize()` and from then on forwards everything to it — exactly like holding that Session.
 * Creating a Session signs its id (HMAC) and hashes its content: work worth skipping for the many
 * visitors who only read pages.
 */
const SESSION_API = new Set<string | symbol>([
  'cookie',
  'sessionId',
  'encryptedSessionId',
  'regenerate',
  'save',
  'destroy',
  'reload',
  'touch',
  'options',
  'get',
  'set',
  'isModified',
  'isSaved',
]);

/** The proxy's target: the real Session once made, and how to make it. */
interface LazyState {
  real: FastifySessionObject | undefined;
  materialize: () => FastifySessionObject;
}

const target = (state: LazyState): FastifySessionObject => (state.real ??= state.materialize());

// One handler for every request (the state is the proxy's target): nothing is allocated per
// visitor beyond the proxy and its state.
const handler: ProxyHandler<LazyState> = {
  get(state, key) {
    if (state.real === undefined && typeof key === 'string' && !SESSION_API.has(key)) return undefined;
    const session = target(state);
    const value: unknown = Reflect.get(session, key, session);
    // Methods run on the real Session (they use its private symbol fields).
    return typeof value === 'function' ? value.bind(session) : value;
  },
  has(state, key) {
    if (state.real === undefined && typeof key === 'string' && !SESSION_API.has(key)) return false;
    return Reflect.has(target(state), key);
  },
  set(state, key, value) {
    return Reflect.set(target(state), key, value);
  },
  deleteProperty(state, key) {
    // Deleting from an empty session changes nothing: no reason to create one.
    if (state.real === undefined) return true;
    return Reflect.deleteProperty(state.real, key);
  },
  defineProperty(state, key, descriptor) {
    return Reflect.defineProperty(target(state), key, descriptor);
  },
  ownKeys(state) {
    return state.real === undefined ? [] : Reflect.ownKeys(state.real);
  },
  getOwnPropertyDescriptor(state, key) {
    if (state.real === undefined) return undefined;
    const descriptor = Reflect.getOwnPropertyDescriptor(state.real, key);
    // A proxy may not report a non-configurable property its target lacks.
    return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
  },
};

export function lazySession(materialize: () => FastifySessionObject): FastifySessionObject {
  const state: LazyState = { real: undefined, materialize };
  return new Proxy(state, handler) as unknown as FastifySessionObject;
}
