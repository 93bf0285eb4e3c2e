import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  app: FastifyInstance;
  /** Closes what the app used (database client, embedded server), after the last request. */
  closeResources: () => Promise<void>;
  /** Longest wait for in-flight requests before their connections are cut. */
  timeoutMs?: number;
}

/**
 * Graceful stop: stop accepting connections, let in-flight requests finish (bounded), then close
 * the database. Safe to call twice (a second signal waits for the same shutdown).
 */
export function createShutdown({ app, closeResources, timeoutMs = 10_000 }: ShutdownOptions): (reason: string) => Promise<void> {
  let running: Promise<void> | undefined;
  return (reason) => {
    running ??= (async () => {
      app.log.info({ reason }, 'shutting down: finishing in-flight requests');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      // A keep-alive connection whose request finishes after close() began would otherwise stay
      // open until its idle timeout: close idle connections as soon as they become idle.
      const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
      const outcome = await Promise.race([app.close().then(() => 'closed' as const), timedOut]);
      clearTimeout(timer);
      clearInterval(sweeper);
      if (outcome === 'timeout') {
        app.log.warn({ timeoutMs }, 'requests still running after the grace period: closing their connections');
        app.server.closeAllConnections();
      }
      await closeResources();
      app.log.info('shutdown complete');
    })();
    return running;
  };
}
