// expectError assertions (unified-test-format.md, "expectedError").
import { MongoBulkWriteError, MongoError, MongoOperationTimeoutError, MongoServerError } from 'mongodb';
import { describe, isDocument } from './bson-values.js';
import type { Doc } from './bson-values.js';
import { assertMatch, MatchError, type MatchContext } from './matcher.js';
import { bulkResultDoc } from './ops-collection.js';

const KNOWN = new Set([
  'isError',
  'isClientError',
  'isTimeoutError',
  'errorContains',
  'errorCode',
  'errorCodeName',
  'errorLabelsContain',
  'errorLabelsOmit',
  'errorResponse',
  'expectResult',
]);

/** Server-derived errors, plus the individual write errors a bulk write error aggregates. */
function serverParts(error: unknown): Array<{ code?: unknown; codeName?: unknown; message: string }> {
  const parts: Array<{ code?: unknown; codeName?: unknown; message: string }> = [];
  if (error instanceof MongoBulkWriteError) {
    for (const we of error.writeErrors as unknown as Array<{ code?: unknown; errmsg?: unknown; err?: Doc }>) {
      const inner = we.err ?? {};
      parts.push({ code: we.code ?? inner.code, codeName: inner.codeName, message: String(we.errmsg ?? inner.errmsg ?? '') });
    }
    const wce = error.writeConcernError as { code?: unknown; codeName?: unknown; errmsg?: unknown } | undefined;
    if (wce) parts.push({ code: wce.code, codeName: wce.codeName, message: String(wce.errmsg ?? '') });
  }
  if (error instanceof MongoServerError) parts.push({ code: error.code, codeName: error.codeName, message: error.message });
  return parts;
}

function errorSummary(error: unknown): string {
  if (error instanceof MongoError) {
    const code = error instanceof MongoServerError ? ` code ${String(error.code)} ${error.codeName ?? ''}` : '';
    return `${error.name}${code}: ${error.message}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function assertExpectedError(expected: Doc, error: unknown, ctx: MatchContext, path: string): void {
  for (const key of Object.keys(expected)) {
    if (!KNOWN.has(key)) throw new Error(`${path}: expectError.${key} is not supported by this runner`);
  }
  const fail = (reason: string): never => {
    throw new MatchError(path, `${reason} (got ${errorSummary(error)})`);
  };
  const isServer = error instanceof MongoServerError;
  if (expected.isClientError === true && isServer) fail('expected a client-side error, got a server error');
  if (expected.isClientError === false && !isServer) fail('expected a server error, got a client-side error');
  const isTimeout = error instanceof MongoOperationTimeoutError;
  if (expected.isTimeoutError !== undefined && expected.isTimeoutError !== isTimeout) fail(`expected isTimeoutError ${String(expected.isTimeoutError)}`);

  const parts = serverParts(error);
  if (typeof expected.errorContains === 'string') {
    const needle = expected.errorContains.toLowerCase();
    const messages = [error instanceof Error ? error.message : String(error), ...parts.map((p) => p.message)];
    if (!messages.some((m) => m.toLowerCase().includes(needle))) fail(`expected the message to contain "${expected.errorContains}"`);
  }
  if (expected.errorCode !== undefined) {
    if (parts.length === 0) fail(`expected server error code ${String(expected.errorCode)}`);
    if (!parts.some((p) => Number(p.code) === Number(expected.errorCode))) fail(`expected error code ${String(expected.errorCode)}`);
  }
  if (expected.errorCodeName !== undefined) {
    const want = String(expected.errorCodeName).toLowerCase();
    if (parts.length === 0) fail(`expected server error ${String(expected.errorCodeName)}`);
    if (!parts.some((p) => typeof p.codeName === 'string' && p.codeName.toLowerCase() === want)) fail(`expected codeName ${String(expected.errorCodeName)}`);
  }
  const hasLabel = (label: string): boolean => error instanceof MongoError && error.hasErrorLabel(label);
  if (Array.isArray(expected.errorLabelsContain)) {
    for (const label of expected.errorLabelsContain) if (!hasLabel(String(label))) fail(`expected error label ${String(label)}`);
  }
  if (Array.isArray(expected.errorLabelsOmit)) {
    for (const label of expected.errorLabelsOmit) if (hasLabel(String(label))) fail(`unexpected error label ${String(label)}`);
  }
  if (expected.errorResponse !== undefined) {
    if (!isServer) fail('expected a server response in the error');
    assertMatch(expected.errorResponse, (error as MongoServerError).errorResponse, ctx, true, `${path}.errorResponse`);
  }
  if (expected.expectResult !== undefined) {
    const partial = error instanceof MongoBulkWriteError ? bulkResultDoc(error.result) : undefined;
    assertMatch(expected.expectResult, partial, ctx, true, `${path}.expectResult`);
  }
}

export function describeError(error: unknown): string {
  const base = errorSummary(error);
  if (error instanceof MongoServerError && isDocument(error.errorResponse)) return `${base} ${describe(error.errorResponse)}`;
  return base;
}
