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

export function lazySession(materialize: () => FastifySessionObject): FastifySessionObject {
  let real: FastifySessionObject | undefined;
  const target = (): FastifySessionObject => (real ??= materialize());
  const handler: ProxyHandler<object> = {
    get(_empty, key) {
      if (real === undefined && typeof key === 'string' && !SESSION_API.has(key)) return undefined;
      const session = target();
      const value: unknown = Reflect.get(session, key, session);
      // Methods run on the real Session (they use its private symbol fields).
      return typeof value === 'function' ? value.bind(session) : value;
    },
    has(_empty, key) {
      if (real === undefined && typeof key === 'string' && !SESSION_API.has(key)) return false;
      return Reflect.has(target(), key);
    },
    set(_empty, key, value) {
      return Reflect.set(target(), key, value);
    },
    deleteProperty(_empty, key) {
      // Deleting from an empty session changes nothing: no reason to create one.
      if (real === undefined) return true;
      return Reflect.deleteProperty(real, key);
    },
    defineProperty(_empty, key, descriptor) {
      return Reflect.defineProperty(target(), key, descriptor);
    },
    ownKeys() {
      return real === undefined ? [] : Reflect.ownKeys(real);
    },
    getOwnPropertyDescriptor(_empty, key) {
      if (real === undefined) return undefined;
      const descriptor = Reflect.getOwnPropertyDescriptor(real, key);
      // A proxy may not report a non-configurable property its target lacks.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  };
  return new Proxy({}, handler) as FastifySessionObject;
}
