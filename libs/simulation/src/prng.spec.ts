import { Prng } from './prng';

describe('When two generators share a seed', () => {
  it('produces the same sequence', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    expect(Array.from({ length: 5 }, () => a.nextUint32())).toEqual(Array.from({ length: 5 }, () => b.nextUint32()));
  });
});

describe('When drawing integers below n', () => {
  it('stays in [0, n) and reaches both ends', () => {
    const prng = new Prng(7);
    const seen = new Set(Array.from({ length: 500 }, () => prng.int(4)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('When a weight is zero', () => {
  it('never picks that choice', () => {
    const prng = new Prng(1);
    const picks = Array.from({ length: 200 }, () => prng.weighted([['a', 0], ['b', 1]] as const));
    expect(picks.every((p) => p === 'b')).toBe(true);
  });
});
