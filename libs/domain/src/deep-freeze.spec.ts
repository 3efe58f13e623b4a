import fc from 'fast-check';
import { deepFreeze } from './deep-freeze';

describe('When a value is deep-frozen', () => {
  it('every object and array in it refuses changes, and it is returned as it was', () =>
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = structuredClone(value);
        const frozen = deepFreeze(value);
        expect(frozen).toBe(value);
        expect(frozen).toEqual(copy);
        const objects: unknown[] = [];
        const walk = (v: unknown): void => {
          if (v !== null && typeof v === 'object') {
            objects.push(v);
            Object.values(v).forEach(walk);
          }
        };
        walk(frozen);
        expect(objects.every((o) => Object.isFrozen(o))).toBe(true);
      }),
    ));
});
