import { readFileSync } from 'node:fs';
import { fieldError } from '@spapr/domain';
import { BadInputError } from '../cli-error';

/** The bytes of FILE, or of standard input for `-`. */
export const readInput = (path: string): Buffer => {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (e) {
    throw new BadInputError([fieldError('(input)', `cannot read ${path === '-' ? 'standard input' : path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)]);
  }
};

/** Whether the first `length` bytes decode; with `open`, a character cut off at the end is not an error yet. */
const decodes = (bytes: Buffer, length: number, open: boolean): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: open });
    return true;
  } catch {
    return false;
  }
};

/** Where a strict decode fails: the start of the first broken sequence (open prefixes stay valid up to it). */
const firstInvalidByte = (bytes: Buffer): string => {
  if (decodes(bytes, bytes.length, true)) return `ends inside a multi-byte character (${bytes.length} bytes)`;
  let valid = 0;
  let invalid = bytes.length;
  while (invalid - valid > 1) {
    const mid = (valid + invalid) >>> 1;
    if (decodes(bytes, mid, true)) valid = mid;
    else invalid = mid;
  }
  // The byte that broke it may end a sequence begun by a lead byte before it: name that lead byte.
  let start = invalid - 1;
  while (start > 0 && !decodes(bytes, start, false)) start--;
  return `byte 0x${bytes[start].toString(16).padStart(2, '0')} at offset ${start}`;
};

/** Strict UTF-8: a document with a broken byte is refused, never stored with replacement characters. */
export const decodeUtf8 = (bytes: Buffer, field = '(document)'): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadInputError([fieldError(field, `is not valid UTF-8 (${firstInvalidByte(bytes)})`)]);
  }
};

/** JSON.parse with the failure named as a field error (`line L column C` where the parser tells the position). */
export const parseJson = (text: string, field = '(document)'): unknown => {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      const column = Number(at[1]) - before.lastIndexOf('\n');
      where = text.includes('\n') ? ` at line ${line} column ${column}` : ` at column ${column}`;
    }
    throw new BadInputError([fieldError(field, `is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`)]);
  }
};

export const readJsonDocument = (path: string): unknown => parseJson(decodeUtf8(readInput(path)));
