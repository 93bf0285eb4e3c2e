import { MongoNetworkError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/lib/errors.js';

/** Which errors become the 503 "temporarily unavailable" page instead of a 500. */
describe('isDatabaseUnavailable', () => {
  it('recognises the driver’s network errors, also as a cause', () => {
    expect(isDatabaseUnavailable(new MongoNetworkError('connection closed'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('page failed', { cause: new MongoNetworkError('reset') }))).toBe(true);
  });

  it('recognises the unwrapped EPIPE the driver throws when the server closed the socket', () => {
    // What the driver let through when the database stopped under load (faults-db-outage test).
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(isDatabaseUnavailable(epipe)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isDatabaseUnavailable('EPIPE')).toBe(false);
  });
});
