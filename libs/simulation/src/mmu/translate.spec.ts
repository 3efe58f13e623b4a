import { LPCR_GTSE, LPCR_HR } from '../isa/lpcr';
import { EA, LPID, mmuFixture, PID } from '../testing/mmu-fixture';
import { translate } from './translate';

describe('When a mapped page is first touched', () => {
  it('walks, fills the PWC with every directory passed and the TLB with the 2-D result', () => {
    const { machine, tree, context } = mmuFixture();
    tree.map(EA, 0x4000_0000, '64K', true);
    const result = translate(machine, context(0), EA + 0x123, 'load');
    expect(result).toMatchObject({ kind: 'translated', source: 'walk', gRaddr: 0x4000_0123 });
    expect([...machine.threads[0].pwc.all()].map((e) => e.depth)).toEqual([0, 1, 2]);
    expect([...machine.threads[0].tlb.all()]).toEqual([
      expect.objectContaining({ lpid: LPID, pid: PID, ea: EA, gRaddr: 0x4000_0000, pageSize: '64K', processPageSize: '64K' }),
    ]);
    expect([...machine.threads[1].tlb.all()]).toEqual([]);
  });

  it('hits the TLB the second time', () => {
    const { machine, tree, context } = mmuFixture();
    tree.map(EA, 0x4000_0000, '64K', true);
    const first = translate(machine, context(0), EA, 'load');
    expect(translate(machine, context(0), EA + 8, 'load')).toEqual(
      expect.objectContaining({ source: 'tlb', hRaddr: first.kind === 'translated' ? first.hRaddr + 8 : -1 }),
    );
  });
});

describe('When a 2M guest page is backed by 64K host pages', () => {
  it('caches the translation at 64K but remembers the 2M process-scoped page', () => {
    const { machine, tree, context } = mmuFixture();
    tree.map(EA, 0x4000_0000, '2M', true);
    translate(machine, context(0), EA + 0x30000, 'load');
    expect([...machine.threads[0].tlb.all()][0]).toMatchObject({ pageSize: '64K', processPageSize: '2M', ea: EA + 0x30000 });
  });
});

describe('When the partition has no process table registered (PATE dw1 without GR)', () => {
  it('raises a DSI', () => {
    const { machine, tree, context, hypervisor } = mmuFixture();
    tree.map(EA, 0x4000_0000, '64K', true);
    hypervisor.partition.pate = { ...hypervisor.partition.pate, dw1: 0n };
    expect(translate(machine, context(0), EA, 'load')).toEqual({ kind: 'dsi', reason: 'no-translation' });
  });
});

describe('When the partition runs radix (LPCR[HR]=1) with LPCR[UPRT]=0', () => {
  const RADIX_WITHOUT_UPRT = LPCR_HR | LPCR_GTSE;

  it('has no process-scoped translation on hardware: a DSI for a radix configuration error, and nothing cached', () => {
    const { machine, tree, context } = mmuFixture();
    tree.map(EA, 0x4000_0000, '64K', true);
    expect(translate(machine, context(0, RADIX_WITHOUT_UPRT), EA, 'load')).toEqual({ kind: 'dsi', reason: 'bad-config' });
    expect([...machine.threads[0].tlb.all()]).toEqual([]);
    expect([...machine.threads[0].pwc.all()]).toEqual([]);
  });

  it('is walked through the process table anyway under QEMU TCG, which only logs "LPCR:UPRT not set in radix mode !" (ppc_radix64_xlate)', () => {
    const { machine, tree, context } = mmuFixture(2, 'tcg');
    tree.map(EA, 0x4000_0000, '64K', true);
    expect(translate(machine, context(0, RADIX_WITHOUT_UPRT), EA, 'load')).toMatchObject({ kind: 'translated', source: 'walk', gRaddr: 0x4000_0000 });
  });
});

describe('When nothing is mapped', () => {
  it('raises a DSI and caches nothing', () => {
    const { machine, context } = mmuFixture();
    expect(translate(machine, context(0), EA, 'load')).toEqual({ kind: 'dsi', reason: 'no-translation' });
    expect([...machine.threads[0].tlb.all()]).toEqual([]);
  });
});

describe('When storing to a read-only page', () => {
  it('raises a protection DSI', () => {
    const { machine, tree, context } = mmuFixture();
    tree.map(EA, 0x4000_0000, '64K', false);
    expect(translate(machine, context(0), EA, 'store')).toEqual({ kind: 'dsi', reason: 'protection' });
  });

  it('treats a read-only TLB entry for a now-writable page as spurious and walks again', () => {
    const { machine, tree, context } = mmuFixture();
    tree.map(EA, 0x4000_0000, '64K', false);
    translate(machine, context(0), EA, 'load');
    tree.protect(EA, true);
    expect(translate(machine, context(0), EA, 'store')).toMatchObject({ kind: 'translated', source: 'walk' });
  });
});
