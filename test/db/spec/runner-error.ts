// A problem of the runner or the test file (unsupported operation, malformed argument), as
// opposed to an error the driver or server raised: never allowed to satisfy expectError.
export class RunnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerError';
  }
}

/** Not implemented by this runner: reported as a FAIL (we want to see it), never as a skip. */
export class UnsupportedError extends RunnerError {
  constructor(what: string) {
    super(`runner does not support ${what}`);
    this.name = 'UnsupportedError';
  }
}
