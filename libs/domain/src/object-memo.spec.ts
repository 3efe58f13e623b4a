import fc from 'fast-check';
import { memoPerObject } from './object-memo';

describe('When a pure function is memoised per object and keys', () => {
  it('answers exactly as the function, calling it once per (object, keys)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 }), fc.constantFrom('a', 'b'))), (inputs) => {
        const objects = [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }];
        let calls = 0;
        const product = memoPerObject(
          (o: { n: number }, k: number, s: string) => (calls++, `${o.n * k}${s}`),
          (k, s) => [k, s],
        );
        for (const [o, k, s] of inputs) expect(product(objects[o], k, s)).toBe(`${o * k}${s}`);
        expect(calls).toBe(new Set(inputs.map((i) => i.join())).size);
      }),
    );
  });
});
