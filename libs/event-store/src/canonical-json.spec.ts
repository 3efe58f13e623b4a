import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('When a value is serialised canonically', () => {
  it('parses back to the same JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)))));
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
