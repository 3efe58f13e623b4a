/** The stream moved on since the caller read it: reported as a conflict (CLI exit 2, HTTP 409), never retried silently. */
export class StreamVersionConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`);
    this.name = 'StreamVersionConflictError';
  }
}
