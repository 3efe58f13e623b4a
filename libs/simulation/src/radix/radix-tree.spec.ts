import { RadixTree } from './radix-tree';
import { TableMemory } from './table-memory';

const EA = 2 ** 40;

function tree(base: '4K' | '64K' = '64K') {
  return new RadixTree(new TableMemory(0x10000), base);
}

describe('When a page is mapped', () => {
  it('is found by a walk at every offset inside it, and not outside', () => {
    const t = tree();
    expect(t.map(EA, 0x200000, '64K', true)).toBe('mapped');
    expect(t.lookup(EA + 0xfff0)).toMatchObject({ raddr: 0x200000, pageSize: '64K', writable: true });
    expect(t.lookup(EA + 0x10000)).toBeUndefined();
  });

  it('refuses a second mapping at the same place', () => {
    const t = tree();
    t.map(EA, 0x200000, '2M', true);
    expect(t.map(EA, 0x400000, '2M', true)).toBe('occupied');
    expect(t.map(EA + 0x10000, 0x400000, '64K', true)).toBe('occupied');
  });

  it('refuses a page size the geometry has no leaf for', () => {
    expect(tree('64K').map(EA, 0x1000, '4K', true)).toBe('unsupported-size');
    expect(tree('4K').map(EA, 0x1000, '4K', true)).toBe('mapped');
  });
});

describe('When the last page under a directory is unmapped', () => {
  it('unlinks the emptied PTE, PMD and PUD pages but keeps the root', () => {
    const t = tree();
    t.map(EA, 0x200000, '64K', true);
    const pmdPointer = t.directoryAt(EA, 2);
    const removed = t.unmap(EA);
    expect(removed?.ea).toBe(EA);
    expect(removed?.unlinked).toHaveLength(3);
    expect(removed?.unlinked[0]).toBe(pmdPointer);
    expect(t.directoryAt(EA, 0)).toBeUndefined();
  });

  it('keeps directories that still hold other pages', () => {
    const t = tree();
    t.map(EA, 0x200000, '64K', true);
    t.map(EA + 0x10000, 0x210000, '64K', true);
    expect(t.unmap(EA)?.unlinked).toEqual([]);
    expect(t.lookup(EA + 0x10000)).toBeDefined();
  });
});

describe('When a page is write-protected', () => {
  it('returns the entry as it was and keeps the mapping', () => {
    const t = tree();
    t.map(EA, 0x200000, '1G', true);
    expect(t.protect(EA + 5, false)?.writable).toBe(true);
    expect(t.lookup(EA)?.writable).toBe(false);
  });
});
