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
  it('drops undefined members and sorts keys', () => expect(canonicalJson({ b: 1, a: undefined, c: [undefined, { z: 1, y: 2 }] })).toBe('{"b":1,"c":[null,{"y":2,"z":1}]}'));
});
