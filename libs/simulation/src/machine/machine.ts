/**
 * The physical machine L0 runs on: hardware threads with their caches, and the partition table indexed by
 * LPID. `emulation` says who checks TLB-instruction privilege: real hardware (a hypervisor-privileged
 * instruction in guest state raises HEAI 0xE40 to L0) or QEMU TCG (`gen_priv_exception`, a Program
 * interrupt straight to the guest); domain/mmu.md §3.
 */
import { HardwareThread } from '../mmu/hardware-thread';
import { FaultInjection, InjectedFault } from './fault-injection';
import { Partition } from './partition';

export type Emulation = 'hardware' | 'tcg';

export class Machine {
  readonly threads: HardwareThread[];
  /** The partition table: LPID → PATE. */
  readonly partitions = new Map<number, Partition>();
  /** How many PWC flushes that removed an entry have run, for `FaultInjection.skipPwcFlush`. */
  pwcFlushes = 0;
  /** How many shadow-PTE invalidations L0 has run for an L1, for `FaultInjection.skipShadowPte`. */
  shadowInvalidations = 0;
  /** Loads, stores (the guest kernel's page-table stores included) and TLB instructions executed here; hcalls are counted from the trace. */
  executed = 0;
  /** Each fault actually injected. */
  readonly injectedFaults: InjectedFault[] = [];

  constructor(
    threadCount: number,
    readonly emulation: Emulation,
    readonly faults: FaultInjection = {},
  ) {
    this.threads = Array.from({ length: threadCount }, (_, index) => new HardwareThread(index));
  }
}
