/**
 * Errors the embedded server returns, with MongoDB's own codes and code names.
 * A command handler throws a CommandError; the dispatcher turns it into
 * `{ ok: 0, errmsg, code, codeName, ...extra }`.
 */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  NotSingleValueField: 54,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationFailed: 96,
  Location15955: 15955,
  DuplicateKey: 11000,
  QueryFeatureNotAllowed: 224,
  InvalidPipelineOperator: 168,
  NotImplemented: 238,
  Location16020: 16020,
  Location40324: 40324,
  Location40323: 40323,
  Location31254: 31254,
  Location17276: 17276,
  BSONObjectTooLarge: 10334,
  IndexNotFoundForText: 27,
  ProtocolError: 17,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

export class CommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Record<string, unknown> | undefined;

  constructor(codeName: ErrorCodeName | string, message: string, extra?: Record<string, unknown>, code?: number) {
    super(message);
    this.name = 'CommandError';
    this.codeName = codeName;
    this.code = code ?? (ErrorCodes as Record<string, number>)[codeName] ?? 1;
    this.extra = extra;
  }

  /** The reply document for this error. */
  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...(this.extra ?? {}) };
  }
}

/** Throws a CommandError; typed `never` so that callers narrow. */
export function fail(codeName: ErrorCodeName | string, message: string, extra?: Record<string, unknown>, code?: number): never {
  throw new CommandError(codeName, message, extra, code);
}

/**
 * MongoDB's "Location<N>" errors carry a numeric code and the code name `Location<N>`.
 */
export function failLocation(code: number, message: string): never {
  throw new CommandError(`Location${code}`, message, undefined, code);
}
