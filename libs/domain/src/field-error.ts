/** One reason an input was refused, named by the dotted path of the field it concerns (SPEC §6 "Bad input"). */
export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

export const fieldError = (field: string, reason: string): FieldError => ({ field, reason });

export const formatFieldErrors = (errors: readonly FieldError[]): string =>
  errors.map((e) => `${e.field}: ${e.reason}`).join('\n');
