import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

const base = { SESSION_SECRET: 'x'.repeat(40) };

describe('WEB_CONCURRENCY', () => {
  it('defaults to one process and accepts a count', () => {
    expect(parseConfig(base).webConcurrency).toBe(1);
    expect(parseConfig({ ...base, WEB_CONCURRENCY: '4' }).webConcurrency).toBe(4);
  });

  it.each(['0', '-2', 'auto', '1.5', '65'])('refuses %s, naming the variable', (value) => {
    try {
      parseConfig({ ...base, WEB_CONCURRENCY: value });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['WEB_CONCURRENCY']);
    }
  });
});
