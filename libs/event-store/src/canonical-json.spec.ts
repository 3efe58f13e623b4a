import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/** An oracle written the obvious way (an object cannot stand in: it puts integer-like keys first). */
const reference = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(reference).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${reference((v as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(v);

/** Any Unicode text, with what JSON escapes and what UTF-8 encodes in several bytes often enough to be met. */
const unit = fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '\u2028', '\ud800', '😀'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
const anyJson = fc.jsonValue({ stringUnit: unit });

describe('When a value is serialised canonically', () => {
  it('parses back to the same JSON value', () => {
    fc.assert(fc.property(anyJson, (v) => expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)))));
  });
  it('orders every object\'s keys as Array.prototype.sort does (UTF-16 code units), at every depth', () => {
    fc.assert(fc.property(anyJson, (v) => expect(canonicalJson(v)).toBe(reference(v))));
  });
  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (d) => {
        const reversed = Object.fromEntries(Object.entries(d).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(d));
      }),
    );
  });
  it('gives a frozen value, and values holding it, the form of an unfrozen copy, however often asked', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (d) => {
        const copy = JSON.parse(JSON.stringify(d)) as unknown;
        const frozen = Object.freeze(Object.fromEntries(Object.entries(d).reverse()));
        expect([canonicalJson(frozen), canonicalJson({ x: frozen }), canonicalJson(frozen)]).toEqual([canonicalJson(copy), canonicalJson({ x: copy }), canonicalJson(copy)]);
      }),
    );
  });
  it('refuses what JSON has no form for', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('cannot serialise NaN');
    expect(() => canonicalJson([() => 1])).toThrow(TypeError);
  });
  it('drops undefined members and sorts keys', () => expect(canonicalJson({ b: 1, a: undefined, c: [undefined, { z: 1, y: 2 }] })).toBe('{"b":1,"c":[null,{"y":2,"z":1}]}'));
});
