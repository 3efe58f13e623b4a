import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('When a value is serialised canonically', () => {
  it('parses back to the same JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)))));
  });
  it('orders every object\'s keys as Array.prototype.sort does (UTF-16 code units), at every depth', () => {
    // An oracle written the obvious way (an object cannot stand in: it puts integer-like keys first).
    const reference = (v: unknown): string =>
      Array.isArray(v)
        ? `[${v.map(reference).join(',')}]`
        : v !== null && typeof v === 'object'
          ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${reference((v as Record<string, unknown>)[k])}`).join(',')}}`
          : JSON.stringify(v);
    fc.assert(fc.property(fc.jsonValue(), (v) => expect(canonicalJson(v)).toBe(reference(v))));
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
  it('drops undefined members and sorts keys', () => expect(canonicalJson({ b: 1, a: undefined, c: [undefined, { z: 1, y: 2 }] })).toBe('{"b":1,"c":[null,{"y":2,"z":1}]}'));
});
