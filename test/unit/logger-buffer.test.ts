import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferedDestination, LOG_FLUSH_MS } from '../../src/logger.js';

const line = (level: number, msg: string) => `${JSON.stringify({ level, time: 1, msg })}\n`;

describe('bufferedDestination', () => {
  it('holds info lines for a moment, writes a warning at once with what waited before it, in order', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vitrine-log-')), 'out.log');
    const out = bufferedDestination(file);
    const read = () => readFileSync(file, 'utf8');
    out.write(line(30, 'one'));
    out.write(line(20, 'two'));
    expect(read()).toBe('');
    out.write(line(40, 'three'));
    expect(read()).toBe(line(30, 'one') + line(20, 'two') + line(40, 'three'));
    out.write(line(30, 'four'));
    expect(read()).not.toContain('four');
    await new Promise((r) => setTimeout(r, LOG_FLUSH_MS + 50));
    expect(read().endsWith(line(30, 'four'))).toBe(true);
  });

  it('writes at once past 4 KiB of waiting lines, and anything that is not a pino line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vitrine-log-')), 'out.log');
    const out = bufferedDestination(file);
    const long = line(30, 'x'.repeat(1500));
    out.write(long);
    out.write(long);
    expect(readFileSync(file, 'utf8')).toBe('');
    out.write(long);
    expect(readFileSync(file, 'utf8')).toBe(long.repeat(3));
    out.write('plain text\n');
    expect(readFileSync(file, 'utf8')).toBe(`${long.repeat(3)}plain text\n`);
  });
});
