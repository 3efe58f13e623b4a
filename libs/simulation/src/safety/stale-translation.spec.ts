import { AP_64K } from '../isa/page-size';
import { pidOperands, TLBIE_RIC_ALL, TLBIE_RIC_TLB, vaOperands } from '../isa/tlbie-operands';
import { executeTlbInstruction } from '../mmu/tlbie';
import { translate } from '../mmu/translate';
import { EA, LPID, mmuFixture, PID } from '../testing/mmu-fixture';
import { RemovedMapping } from './removed-mapping';
import { SafetyMonitor } from './stale-translation';

const removal: RemovedMapping = { scope: 'process', lpid: LPID, pid: PID, start: EA, end: EA + 0x10000 };

function unmappedAfterTwoThreadsTouched() {
  const fixture = mmuFixture(2);
  fixture.tree.map(EA, 0x4000_0000, '64K', true);
  translate(fixture.machine, fixture.context(0), EA, 'load');
  translate(fixture.machine, fixture.context(1), EA, 'load');
  const unmapped = fixture.tree.unmap(EA);
  const monitor = new SafetyMonitor();
  monitor.removed(removal);
  return { ...fixture, unmapped, monitor };
}

describe('When a page was unmapped but its invalidation has not completed', () => {
  it('tolerates the entries still cached', () => {
    const { machine, monitor } = unmappedAfterTwoThreadsTouched();
    expect(monitor.check(machine)).toBeUndefined();
  });
});

describe('When only a local tlbiel ran before the invalidation was declared complete', () => {
  it("reports the other thread's TLB entry as stale", () => {
    const { machine, context, monitor } = unmappedAfterTwoThreadsTouched();
    executeTlbInstruction(machine, context(0), { mnemonic: 'tlbiel', operands: pidOperands(TLBIE_RIC_ALL, PID) });
    expect(monitor.completed(machine, [removal])).toMatchObject({ cache: 'tlb', thread: 1, entry: { ea: EA } });
  });
});

describe('When a global tlbie removed the TLB entries but not the page-walk cache', () => {
  it('reports the PWC entry that points to the unlinked PTE page', () => {
    const { machine, context, monitor, unmapped } = unmappedAfterTwoThreadsTouched();
    executeTlbInstruction(machine, context(0), { mnemonic: 'tlbie', operands: vaOperands(TLBIE_RIC_TLB, PID, EA, AP_64K) });
    const stale = monitor.completed(machine, [removal]);
    expect(stale).toMatchObject({ cache: 'pwc', thread: 0 });
    expect(unmapped?.unlinked).toContain(stale?.cache === 'pwc' ? stale.entry.nlb : -1);
  });
});

describe('When a completed removal no longer has anything cached', () => {
  it('reports nothing, and the whole-cache check agrees', () => {
    const { machine, context, monitor } = unmappedAfterTwoThreadsTouched();
    executeTlbInstruction(machine, context(0), { mnemonic: 'tlbie', operands: pidOperands(TLBIE_RIC_ALL, PID) });
    expect(monitor.completed(machine, [removal])).toBeUndefined();
    expect(monitor.check(machine)).toBeUndefined();
  });
});
