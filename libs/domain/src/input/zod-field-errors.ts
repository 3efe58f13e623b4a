import type { z } from 'zod';
import { FieldError } from '../field-error';

const joinPath = (path: readonly PropertyKey[]): string =>
  path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') || '(document)';

/** zod reports what it received only in its message ("…, received string"); without `reportInput` the input is not kept. */
const receivedOf = (message: string): string | undefined => /received (\w+)/.exec(message)?.[1];

/** One reason per field, in words an operator reads without knowing zod (UX.md "messages say the field and the reason"). */
const reasonOf = (issue: z.core.$ZodIssue): string => {
  switch (issue.code) {
    case 'invalid_type': {
      const received = receivedOf(issue.message);
      if (received === 'undefined') return 'is required';
      const expected = { int: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'an object', array: 'an array' }[issue.expected as string] ?? issue.expected;
      return `must be ${expected}${received ? `, got ${received}` : ''}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : issue.message;
    case 'too_small':
      return issue.origin === 'string' ? `must be at least ${issue.minimum} characters` : issue.message;
    case 'invalid_union':
      return issue.message === 'Invalid input' ? 'has an invalid value' : issue.message;
    default:
      return issue.message;
  }
};

/** Flattens zod issues into field errors; an unknown key is named as its own field. */
export const zodFieldErrors = (error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldError[] =>
  error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: joinPath([...path, key]), reason: 'unknown field' }));
    }
    return [{ field: joinPath(path), reason: reasonOf(issue) }];
  });
