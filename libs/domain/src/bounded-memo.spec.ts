import fc from 'fast-check';
import { boundedMemo } from './bounded-memo';

describe('When a pure function is memoised', () => {
  it('answers exactly as the function, calling it once per key while the key is remembered', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), fc.integer({ min: 1, max: 8 }), (inputs, capacity) => {
        let calls = 0;
        const square = boundedMemo((n: number) => (calls++, n * n), String, capacity);
        for (const n of inputs) expect(square(n)).toBe(n * n);
        expect(calls).toBeLessThanOrEqual(inputs.length);
        if (new Set(inputs).size <= capacity) expect(calls).toBe(new Set(inputs).size);
      }),
    );
  });
});
