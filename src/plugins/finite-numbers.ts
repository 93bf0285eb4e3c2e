import fp from 'fastify-plugin';

/**
 * Ajv coerces a query string such as `page=1e400` to Infinity and then skips the number's
 * `minimum`/`maximum` (its range checks only look at finite numbers), so a schema's bounds would let
 * it through to a handler: skip = Infinity is a database error. Any non-finite number in the
 * validated query or route parameters is refused here, after validation and before any handler, as
 * the same translated 422 a schema error gets.
 */
function firstNonFinite(values: unknown): string | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return name;
  }
  return undefined;
}

export default fp(
  async (app) => {
    app.addHook('preHandler', async (request) => {
      const name = firstNonFinite(request.query) ?? firstNonFinite(request.params);
      if (name === undefined) return;
      throw Object.assign(new Error(`${name} is not a finite number`), {
        statusCode: 400,
        validation: [{ instancePath: `/${name}`, keyword: 'finite', message: 'must be a finite number', params: {} }],
      });
    });
  },
  { name: 'finite-numbers' },
);
