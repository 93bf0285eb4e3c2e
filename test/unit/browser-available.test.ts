import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserAvailable } from '../helpers/browser.js';

/** The e2e suite's gate: a missing Chromium fails CI and is skipped loudly anywhere else. */
describe('browserAvailable', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is true when the browser exists', () => {
    expect(browserAvailable(process.execPath, true)).toBe(true);
  });

  it('throws in CI when the browser is missing', () => {
    expect(() => browserAvailable('/nonexistent/chromium', true)).toThrow(/required in CI.*\/nonexistent\/chromium/);
  });

  it('outside CI, says loudly that the browser tests are skipped and returns false', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(browserAvailable('/nonexistent/chromium', false)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/E2E TESTS SKIPPED: no Chromium at \/nonexistent\/chromium/);
  });
});
