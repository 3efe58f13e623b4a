import fc from 'fast-check';
import { BadInputError } from '../cli-error';
import { decodeUtf8 } from './read-document';

const refusal = (bytes: Buffer): string => {
  try {
    decodeUtf8(bytes);
  } catch (e) {
    if (e instanceof BadInputError) return e.errors[0].reason;
    throw e;
  }
  throw new Error('decoded');
};

describe('When a document is not valid UTF-8', () => {
  it('names the first invalid byte by its offset, whatever characters come before it', () =>
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (before, after) => {
        const head = Buffer.from(before, 'utf8');
        const bytes = Buffer.concat([head, Buffer.from([0xff]), Buffer.from(after, 'utf8')]);
        expect(refusal(bytes)).toBe(`is not valid UTF-8 (byte 0xff at offset ${head.length})`);
      }),
    ));

  it('names the lead byte of a sequence that a plain byte cuts short', () => expect(refusal(Buffer.from([0x7b, 0xc3, 0xa9, 0xc3, 0x28]))).toBe('is not valid UTF-8 (byte 0xc3 at offset 3)'));

  it('names a character cut off at the end', () => expect(refusal(Buffer.from([0x7b, 0xc3]))).toBe('is not valid UTF-8 (ends inside a multi-byte character (2 bytes))'));

  it('decodes valid text unchanged', () => fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => expect(decodeUtf8(Buffer.from(text, 'utf8'))).toBe(text))));
});
