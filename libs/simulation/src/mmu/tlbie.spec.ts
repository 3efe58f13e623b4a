import { INTERRUPT_HEAI, INTERRUPT_PROGRAM } from '../isa/interrupt';
import { MSR_HYPERVISOR, MSR_PROBLEM } from '../isa/msr';
import { AP_2M, AP_64K } from '../isa/page-size';
import {
  lpidOperands,
  pidOperands,
  TLBIE_RIC_ALL,
  TLBIE_RIC_GRP,
  TLBIE_RIC_PWC,
  TLBIE_RIC_TLB,
  TlbInstruction,
  vaOperands,
} from '../isa/tlbie-operands';
import { EA, LPID, mmuFixture, PID, RADIX_GTSE0, RADIX_GTSE1 } from '../testing/mmu-fixture';
import { executeTlbInstruction } from './tlbie';
import { translate } from './translate';

const tlbieVa = (ap = AP_64K): TlbInstruction => ({ mnemonic: 'tlbie', operands: vaOperands(TLBIE_RIC_TLB, PID, EA, ap) });
const tlbielVa: TlbInstruction = { mnemonic: 'tlbiel', operands: vaOperands(TLBIE_RIC_TLB, PID, EA, AP_64K) };

function warmed(threads = 2, emulation: 'hardware' | 'tcg' = 'hardware') {
  const fixture = mmuFixture(threads, emulation);
  fixture.tree.map(EA, 0x4000_0000, '64K', true);
  for (let t = 0; t < threads; t++) translate(fixture.machine, fixture.context(t), EA, 'load');
  const tlbSizes = () => fixture.machine.threads.map((thread) => [...thread.tlb.all()].length);
  const pwcSizes = () => fixture.machine.threads.map((thread) => [...thread.pwc.all()].length);
  return { ...fixture, tlbSizes, pwcSizes };
}

describe('When a guest kernel runs with LPCR[GTSE]=1', () => {
  it('executes tlbie, which reaches every thread', () => {
    const { machine, context, tlbSizes } = warmed();
    expect(executeTlbInstruction(machine, context(0, RADIX_GTSE1), tlbieVa())).toMatchObject({ kind: 'executed' });
    expect(tlbSizes()).toEqual([0, 0]);
  });

  it('executes tlbsync', () => {
    const { machine, context } = warmed();
    expect(executeTlbInstruction(machine, context(0, RADIX_GTSE1), { mnemonic: 'tlbsync' }).kind).toBe('executed');
  });
});

describe('When a guest kernel runs with LPCR[GTSE]=0', () => {
  it('raises HEAI 0xE40 on tlbie and invalidates nothing', () => {
    const { machine, context, tlbSizes } = warmed();
    expect(executeTlbInstruction(machine, context(0, RADIX_GTSE0), tlbieVa())).toEqual({ kind: 'interrupt', interrupt: { vector: INTERRUPT_HEAI } });
    expect(tlbSizes()).toEqual([1, 1]);
  });

  it('raises HEAI on tlbsync too', () => {
    const { machine, context } = warmed();
    expect(executeTlbInstruction(machine, context(0, RADIX_GTSE0), { mnemonic: 'tlbsync' })).toMatchObject({ interrupt: { vector: INTERRUPT_HEAI } });
  });

  it('still executes tlbiel, which reaches only the executing thread', () => {
    const { machine, context, tlbSizes } = warmed();
    expect(executeTlbInstruction(machine, context(1, RADIX_GTSE0), tlbielVa).kind).toBe('executed');
    expect(tlbSizes()).toEqual([1, 0]);
  });

  it('raises a privileged Program interrupt instead under QEMU TCG', () => {
    const { machine, context } = warmed(2, 'tcg');
    expect(executeTlbInstruction(machine, context(0, RADIX_GTSE0), tlbieVa())).toEqual({
      kind: 'interrupt',
      interrupt: { vector: INTERRUPT_PROGRAM, reason: 'privileged' },
    });
  });
});

describe('When a guest kernel invalidates partition-scoped translations', () => {
  it('is hypervisor privileged even with GTSE=1, for tlbie and tlbiel', () => {
    const { machine, context } = warmed();
    for (const mnemonic of ['tlbie', 'tlbiel'] as const) {
      expect(executeTlbInstruction(machine, context(0, RADIX_GTSE1), { mnemonic, operands: lpidOperands(TLBIE_RIC_ALL, LPID) })).toMatchObject({
        interrupt: { vector: INTERRUPT_HEAI },
      });
    }
  });
});

describe('When user code (MSR[PR]=1) executes TLB management', () => {
  it('raises a privileged-instruction Program interrupt', () => {
    const { machine, context } = warmed();
    expect(executeTlbInstruction(machine, context(0, RADIX_GTSE1, MSR_PROBLEM), tlbielVa)).toEqual({
      kind: 'interrupt',
      interrupt: { vector: INTERRUPT_PROGRAM, reason: 'privileged' },
    });
  });
});

describe('When the operands form an invalid radix form', () => {
  const cases: [string, TlbInstruction][] = [
    ['RIC=3', { mnemonic: 'tlbie', operands: pidOperands(TLBIE_RIC_GRP, PID) }],
    ['RIC=1 with IS=0', { mnemonic: 'tlbie', operands: vaOperands(TLBIE_RIC_PWC, PID, EA, AP_64K) }],
    ['RIC=2 with IS=0', { mnemonic: 'tlbie', operands: vaOperands(TLBIE_RIC_ALL, PID, EA, AP_64K) }],
    ['PRS=0 with IS=1', { mnemonic: 'tlbie', operands: { ...pidOperands(TLBIE_RIC_TLB, PID), prs: 0 } }],
    ['tlbiel RIC=1 with SET≠0', { mnemonic: 'tlbiel', operands: { ...pidOperands(TLBIE_RIC_PWC, PID), rb: { epn: 0, ap: 0, set: 3 } } }],
    ['IS=0 with AP=3', { mnemonic: 'tlbie', operands: vaOperands(TLBIE_RIC_TLB, PID, EA, 3) }],
  ];
  it.each(cases)('raises an invalid-form Program interrupt for %s and invalidates nothing', (_, instruction) => {
    const { machine, context, tlbSizes, pwcSizes } = warmed();
    expect(executeTlbInstruction(machine, context(0, RADIX_GTSE1, MSR_HYPERVISOR), instruction)).toEqual({
      kind: 'interrupt',
      interrupt: { vector: INTERRUPT_PROGRAM, reason: 'invalid-form' },
    });
    expect(tlbSizes()).toEqual([1, 1]);
    expect(pwcSizes()).toEqual([3, 3]);
  });
});

describe('When an IS=0 tlbie names the wrong page size in AP', () => {
  it('leaves the entry in place', () => {
    const { machine, context, tlbSizes } = warmed();
    executeTlbInstruction(machine, context(0, RADIX_GTSE1), tlbieVa(AP_2M));
    expect(tlbSizes()).toEqual([1, 1]);
  });
});

describe('When a PID is flushed with RIC=1 (PWC)', () => {
  it('drops the page-walk cache and keeps the TLB', () => {
    const { machine, context, tlbSizes, pwcSizes } = warmed();
    executeTlbInstruction(machine, context(0, RADIX_GTSE1), { mnemonic: 'tlbie', operands: pidOperands(TLBIE_RIC_PWC, PID) });
    expect(pwcSizes()).toEqual([0, 0]);
    expect(tlbSizes()).toEqual([1, 1]);
  });
});

describe('When a guest names another LPID in RS', () => {
  it('still invalidates only its own partition (LPIDR)', () => {
    const { machine, context, tlbSizes } = warmed();
    executeTlbInstruction(machine, context(0, RADIX_GTSE1), { mnemonic: 'tlbie', operands: pidOperands(TLBIE_RIC_ALL, PID, 99) });
    expect(tlbSizes()).toEqual([0, 0]);
  });
});

describe('When the hypervisor flushes another LPID', () => {
  it('leaves this partition alone', () => {
    const { machine, context, tlbSizes } = warmed();
    executeTlbInstruction(machine, context(0, RADIX_GTSE1, MSR_HYPERVISOR), { mnemonic: 'tlbie', operands: pidOperands(TLBIE_RIC_ALL, PID, 99) });
    expect(tlbSizes()).toEqual([1, 1]);
  });
});

describe('When QEMU TCG emulates the MMU (helper_tlbie_isa300)', () => {
  it('caches no page walks', () => {
    const { pwcSizes } = warmed(2, 'tcg');
    expect(pwcSizes()).toEqual([0, 0]);
  });

  it('flushes the EA page whatever the LPID in LPIDR or the PID in RS', () => {
    const { machine, context, tlbSizes } = warmed(2, 'tcg');
    executeTlbInstruction(machine, { ...context(0, RADIX_GTSE1), lpidr: 99 }, { mnemonic: 'tlbie', operands: vaOperands(TLBIE_RIC_TLB, PID + 1, EA, AP_64K) });
    expect(tlbSizes()).toEqual([0, 0]);
  });

  it('falls back to a full flush for a PID flush of another partition', () => {
    const { machine, context, tlbSizes } = warmed(2, 'tcg');
    executeTlbInstruction(machine, { ...context(1, RADIX_GTSE1), lpidr: 99 }, { mnemonic: 'tlbiel', operands: pidOperands(TLBIE_RIC_TLB, PID + 1) });
    expect(tlbSizes()).toEqual([1, 0]);
  });
});
