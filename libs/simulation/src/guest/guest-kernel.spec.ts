import { DirectHypervisor } from '../hypervisor/direct-hypervisor';
import { Machine } from '../machine/machine';
import { SafetyMonitor } from '../safety/stale-translation';
import { Trace } from '../scenario/trace';
import { FlushMethod } from './radix-flush';
import { GuestKernel } from './guest-kernel';

const EA = 2 ** 40;
const PID = 1;

function kernel(method: FlushMethod, hypervisorHasRpt = true) {
  const machine = new Machine(2, 'hardware');
  const trace = new Trace();
  const hypervisor = new DirectHypervisor(machine, trace, { accelerator: 'kvm-hv', rptInvalidate: hypervisorHasRpt, lpid: 1 });
  const k = new GuestKernel(machine, hypervisor, trace, new SafetyMonitor(), '64K', method);
  k.registerProcessTable();
  k.map(PID, EA, '64K', true);
  const instructions = () => trace.records.flatMap((r) => (r.event.type === 'instruction' ? [r.event.text.split(' ').slice(0, 2).join(' ')] : []));
  const hcalls = () => trace.records.flatMap((r) => (r.event.type === 'hcall' && r.event.name === 'H_RPT_INVALIDATE' ? [r.event.rc] : []));
  return { k, machine, instructions, hcalls };
}

describe('When the mm ran on this thread only', () => {
  it('flushes locally with tlbiel, PWC first because the PTE page was freed', () => {
    const { k, instructions } = kernel('tlbie');
    k.touch(0, PID, EA, 'load');
    expect(k.unmap(0, PID, EA)).toEqual({ kind: 'ok' });
    expect(instructions()).toEqual(['tlbiel RIC=1', 'tlbiel RIC=0']);
  });
});

describe('When the mm ran on two threads', () => {
  it('flushes globally with tlbie under GTSE', () => {
    const { k, instructions } = kernel('tlbie');
    k.touch(0, PID, EA, 'load');
    k.touch(1, PID, EA, 'load');
    expect(k.unmap(0, PID, EA)).toEqual({ kind: 'ok' });
    expect(instructions()).toEqual(['tlbie RIC=1', 'tlbie RIC=0']);
    expect(k.touch(1, PID, EA, 'load')).toEqual({ kind: 'dsi', reason: 'no-translation' });
  });

  it('flushes with H_RPT_INVALIDATE without GTSE', () => {
    const { k, instructions, hcalls } = kernel('h-rpt-invalidate');
    k.touch(0, PID, EA, 'load');
    k.touch(1, PID, EA, 'load');
    expect(k.unmap(0, PID, EA)).toEqual({ kind: 'ok' });
    expect(instructions()).toEqual([]);
    expect(hcalls()).toEqual([0]);
  });

  it('retries once with a full flush and then hits BUG() when the hypervisor lacks the hcall', () => {
    const { k, hcalls } = kernel('h-rpt-invalidate', false);
    k.touch(0, PID, EA, 'load');
    k.touch(1, PID, EA, 'load');
    expect(k.unmap(0, PID, EA)).toMatchObject({ kind: 'panic', message: expect.stringContaining('pseries_rpt_invalidate') });
    expect(hcalls()).toEqual([-2, -2]);
  });
});

describe('When a write-protected page is still writable in another thread’s TLB', () => {
  it('is flushed so that a store faults on every thread', () => {
    const { k } = kernel('tlbie');
    k.touch(0, PID, EA, 'store');
    k.touch(1, PID, EA, 'store');
    expect(k.protect(0, PID, EA)).toEqual({ kind: 'ok' });
    expect(k.touch(1, PID, EA, 'store')).toEqual({ kind: 'dsi', reason: 'protection' });
  });
});

describe('When the kernel edits its page tables', () => {
  it('executes one store per PTE or PDE it writes or clears: a first 64K page links PUD, PMD and PTE pages', () => {
    const { k, machine } = kernel('tlbie');
    const executedBy = (edit: () => void) => {
      const before = machine.executed;
      edit();
      return machine.executed - before;
    };
    // PGD, PUD and PMD entries point to new tables, then the PTE (`kernel` mapped EA already, so another PID).
    expect(executedBy(() => k.map(PID + 1, EA, '64K', true))).toBe(4);
    // A neighbour in the same PTE page: the PTE alone.
    expect(executedBy(() => k.map(PID + 1, EA + 0x10000, '64K', true))).toBe(1);
    // Write-protect: the PTE; the flush that follows adds its own instructions (tlbiel RIC=0; ptesync).
    expect(executedBy(() => k.protect(0, PID + 1, EA))).toBe(1 + 2);
  });
});
