import type { FieldError } from '@spapr/domain';

/** SPEC §4.1 exit codes. */
export const EXIT = { ok: 0, findings: 1, badInput: 2, internal: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad usage or input: names the field and the reason; exit 2; nothing was written. */
export class BadInputError extends Error {
  constructor(
    readonly errors: readonly FieldError[],
    readonly context?: string,
  ) {
    super(errors.map((e) => `${e.field}: ${e.reason}`).join('; '));
    this.name = 'BadInputError';
  }
}
