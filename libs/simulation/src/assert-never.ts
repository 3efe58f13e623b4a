/** Ends an exhaustive switch: a new union member does not compile until it is handled. */
export function assertNever(value: never): never {
  throw new UnhandledCaseError(value);
}

export class UnhandledCaseError extends Error {
  constructor(readonly value: unknown) {
    super(`unhandled case: ${JSON.stringify(value)}`);
    this.name = 'UnhandledCaseError';
  }
}
