/** The embedded server's thread (see thread.ts): starts it, reports its address, stops it when asked. */
import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedMongo } from './index.js';
import type { ThreadMessage, ThreadOptions } from './thread.js';

const port = parentPort;
if (port === null) throw new Error('thread-main.ts runs as a worker thread (see thread.ts)');
const server = await startEmbeddedMongo(workerData as ThreadOptions);
port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  // Stopped and the port closed, nothing is left to run: the thread exits, which the caller awaits.
  void server.stop().then(() => port.close());
});
port.postMessage({ type: 'ready', uri: server.uri, port: server.port, host: server.host } satisfies ThreadMessage);
