import type { FastifyPluginAsync } from 'fastify';

export interface HealthOptions {
  ping: () => Promise<void>;
  /** Longest wait for the database before answering 503. */
  timeoutMs?: number;
}

/**
 * GET /healthz for load balancers and monitors: 200 when the database answers a ping, else 503
 * with the reason. JSON, never cached, no session.
 */
const health: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  const timeoutMs = options.timeoutMs ?? 1500;
  app.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        options.ping(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return { status: 'ok', database: 'up' };
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'database unreachable';
      return reply.code(503).send({ status: 'unavailable', database: 'down', reason });
    } finally {
      clearTimeout(timer);
    }
  });
};

export default health;
