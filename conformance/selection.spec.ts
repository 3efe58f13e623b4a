import { leftOutLine, selectCases } from './selection';

const all = [
  { id: 'B01', kind: 'boot' },
  { id: 'M01', kind: 'migration' },
  { id: 'N01', kind: 'nested' },
  { id: 'N02', kind: 'nested' },
];

describe('selecting the cases of a run', () => {
  it('takes every case and leaves nothing out by default', () => {
    const s = selectCases(all, { nestedImages: true });
    expect(s.cases).toEqual(all);
    expect(leftOutLine(all.length, s.leftOut)).toBeNull();
  });
  it('says how many nested cases CONFORMANCE_NESTED=0 left out', () => {
    const s = selectCases(all, { nestedImages: false });
    expect(s.cases.map((c) => c.id)).toEqual(['B01', 'M01']);
    expect(leftOutLine(all.length, s.leftOut)).toBe('left out: 2 of 4 cases (2 nested, no nested images (setup.sh ran with CONFORMANCE_NESTED=0))');
  });
  it('counts the --only filter first, then the nested cases it kept', () => {
    const s = selectCases(all, { only: /^(M|N01)/, nestedImages: false });
    expect(s.cases.map((c) => c.id)).toEqual(['M01']);
    expect(leftOutLine(all.length, s.leftOut)).toBe('left out: 3 of 4 cases (2 not matching --only /^(M|N01)/; 1 nested, no nested images (setup.sh ran with CONFORMANCE_NESTED=0))');
  });
});
