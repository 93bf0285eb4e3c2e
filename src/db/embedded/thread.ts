/**
 * startEmbeddedMongoThread: the embedded server on a thread of its own (node:worker_threads), as the
 * shop runs it. A real MongoDB runs in its own process; in the shop's thread the server's work — each
 * command's query, projection and BSON encoding — and the garbage collection of its heap, which holds
 * the whole data set, would wait in line with the requests. On its own thread they run beside them,
 * on another core when there is one. The shop reaches it through its URI, like any MongoDB.
 * A failure of the thread after start is thrown again on the caller's thread: the process stops, as
 * it would if the server ran in it, instead of serving every page as a 503.
 */
import { Worker } from 'node:worker_threads';
import type { EmbeddedMongo, EmbeddedMongoOptions } from './index.js';

export type ThreadOptions = Omit<EmbeddedMongoOptions, 'logger'>;

/** The thread's one message: listening at this address (a stop is seen as the thread's exit). */
export type ThreadMessage = { type: 'ready'; uri: string; port: number; host: string };

/**
 * A new Worker for the thread's entry: this folder's compiled file, or (run from the TypeScript
 * sources, by tsx or vitest) the source loaded through tsx, which the thread registers itself —
 * Node 20 does not hand the parent's module hooks to a worker.
 */
function newWorker(options: ThreadOptions): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./thread-main.js', import.meta.url), { workerData: options });
  const tsx = import.meta.resolve('tsx/esm/api');
  const main = new URL('./thread-main.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(main)}); });`;
  return new Worker(code, { eval: true, workerData: options });
}

export function startEmbeddedMongoThread(options: ThreadOptions = {}): Promise<EmbeddedMongo> {
  const worker = newWorker(options);
  return new Promise((resolve, reject) => {
    let started = false;
    let stopped: Promise<void> | undefined;
    worker.once('error', (error) => {
      if (!started) return reject(error);
      if (stopped) return;
      // Thrown on this thread, outside any promise: the process stops as it would in-process.
      setImmediate(() => {
        throw error;
      });
    });
    worker.once('exit', (code) => {
      if (!started) reject(new Error(`the embedded database thread exited (${code}) before it listened`));
    });
    worker.once('message', (message: ThreadMessage) => {
      if (message.type !== 'ready') return;
      started = true;
      resolve({
        uri: message.uri,
        port: message.port,
        host: message.host,
        stop() {
          stopped ??= new Promise<void>((done) => {
            worker.once('exit', () => done());
            worker.postMessage('stop');
          });
          return stopped;
        },
      });
    });
  });
}
