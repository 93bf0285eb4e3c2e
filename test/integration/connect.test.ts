import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, uriFilePath } from '../../src/db/connect.js';

describe('openDatabase (embedded, shared with CLI tools)', () => {
  it('publishes the running shop’s URI for CLI tools and cleans up on close', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vitrine-connect-'));
    const shop = await openDatabase({ mongodbUri: undefined, dataDir, role: 'server' });
    try {
      expect(shop.source).toBe('embedded');
      expect(readFileSync(uriFilePath(dataDir), 'utf8').trim()).toBe(shop.uri);

      const cli = await openDatabase({ mongodbUri: undefined, dataDir, role: 'cli' });
      expect(cli.source).toBe('shared-embedded');
      await cli.db.collection('notes').insertOne({ from: 'cli' });
      await cli.close();
      // Closing the CLI's connection leaves the shop's server alone.
      expect(await shop.db.collection('notes').countDocuments({ from: 'cli' })).toBe(1);
    } finally {
      await shop.close();
    }
    expect(existsSync(uriFilePath(dataDir))).toBe(false);

    // Shop stopped: the CLI starts the embedded server itself, on the same data, without publishing.
    const alone = await openDatabase({ mongodbUri: undefined, dataDir, role: 'cli' });
    try {
      expect(alone.source).toBe('embedded');
      expect(existsSync(uriFilePath(dataDir))).toBe(false);
      expect(await alone.db.collection('notes').countDocuments({ from: 'cli' })).toBe(1);
    } finally {
      await alone.close();
    }
  });

  it('ignores a stale db.uri left by a crashed shop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vitrine-connect-'));
    writeFileSync(uriFilePath(dataDir), 'mongodb://127.0.0.1:1/\n');
    const db = await openDatabase({ mongodbUri: undefined, dataDir, role: 'server' });
    try {
      expect(db.source).toBe('embedded');
      expect(readFileSync(uriFilePath(dataDir), 'utf8').trim()).toBe(db.uri);
    } finally {
      await db.close();
    }
  });
});
