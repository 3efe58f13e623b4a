import fc from 'fast-check';
import { memoPerObject } from './object-memo';

describe('When a pure function is memoised per object and key', () => {
  it('answers exactly as the function, calling it once per (object, key)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 }))), (inputs) => {
        const objects = [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }];
        let calls = 0;
        const product = memoPerObject((o: { n: number }, k: number) => (calls++, o.n * k), (k) => k);
        for (const [o, k] of inputs) expect(product(objects[o], k)).toBe(o * k);
        expect(calls).toBe(new Set(inputs.map(([o, k]) => `${o},${k}`)).size);
      }),
    );
  });
});
