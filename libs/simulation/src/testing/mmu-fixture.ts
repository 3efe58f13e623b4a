/** Spec helper: one KVM-HV guest partition (LPID 1) with one process (PID 7) on a small machine. */
import { DirectHypervisor } from '../hypervisor/direct-hypervisor';
import { PROC_TABLE_NEW, PROC_TABLE_RADIX } from '../isa/hcalls';
import { Lpcr, LPCR_GTSE, LPCR_HR, LPCR_UPRT } from '../isa/lpcr';
import { MSR_GUEST_KERNEL, Msr } from '../isa/msr';
import { Emulation, Machine } from '../machine/machine';
import { ExecutionContext } from '../mmu/hardware-thread';
import { RadixTree } from '../radix/radix-tree';
import { TableMemory } from '../radix/table-memory';
import { Trace } from '../scenario/trace';

export const LPID = 1;
export const PID = 7;
export const EA = 2 ** 40;
export const RADIX_GTSE1: Lpcr = LPCR_UPRT | LPCR_HR | LPCR_GTSE;
export const RADIX_GTSE0: Lpcr = LPCR_UPRT | LPCR_HR;

export function mmuFixture(threads = 2, emulation: Emulation = 'hardware') {
  const machine = new Machine(threads, emulation);
  const hypervisor = new DirectHypervisor(machine, new Trace(), { accelerator: 'kvm-hv', rptInvalidate: true, lpid: LPID });
  const tree = new RadixTree(new TableMemory(0x1000_0000), '64K');
  hypervisor.registerProcessTable({ flags: PROC_TABLE_NEW | PROC_TABLE_RADIX, base: 0x100_0000, pageSize: 0, tableSize: 12 }, new Map([[PID, tree]]));
  const context = (thread: number, lpcr: Lpcr = RADIX_GTSE1, msr: Msr = MSR_GUEST_KERNEL): ExecutionContext => ({
    thread,
    msr,
    lpcr,
    lpidr: LPID,
    pidr: PID,
  });
  return { machine, hypervisor, tree, context };
}
