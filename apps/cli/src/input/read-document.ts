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

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8: a document with a broken byte is refused, never stored with replacement characters. */
export const decodeUtf8 = (bytes: Buffer, field = '(document)'): string => {
  try {
    return utf8.decode(bytes);
  } catch {
    let offset = 0;
    while (offset < bytes.length) {
      try {
        utf8.decode(bytes.subarray(0, offset + 1), { stream: true });
        offset++;
      } catch {
        break;
      }
    }
    throw new BadInputError([fieldError(field, `is not valid UTF-8 (byte 0x${bytes[offset]?.toString(16).padStart(2, '0')} at offset ${offset})`)]);
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
