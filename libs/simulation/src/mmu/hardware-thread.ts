/**
 * One hardware thread (a physical CPU thread of L0) with its own TLB and PWC: `tlbiel` is architecturally
 * guaranteed to reach only the executing thread, so the model gives every thread private caches and treats
 * SMT siblings as possibly stale (domain/mmu.md §3).
 */
import { Lpcr } from '../isa/lpcr';
import { Msr, MSR_HYPERVISOR } from '../isa/msr';
import { PageWalkCache } from './page-walk-cache';
import { Tlb } from './tlb';

/** The registers that decide how a thread translates and which TLB instructions it may execute. */
export interface ExecutionContext {
  readonly thread: number;
  readonly msr: Msr;
  readonly lpcr: Lpcr;
  /** LPIDR: the partition the thread runs (for an L2, the shadow LPID L0 gave it). */
  readonly lpidr: number;
  /** PIDR: the process whose quadrant-0 addresses are translated. */
  readonly pidr: number;
}

/**
 * L0 itself on `thread`: hypervisor state, LPIDR 0. Its `tlbie` names the target LPID in RS; the LPCR it
 * keeps for the guest it serves plays no part in its own privilege.
 */
export function hypervisorContext(thread: number, lpcr: Lpcr): ExecutionContext {
  return { thread, msr: MSR_HYPERVISOR, lpcr, lpidr: 0, pidr: 0 };
}

export class HardwareThread {
  readonly tlb = new Tlb();
  readonly pwc = new PageWalkCache();

  constructor(readonly index: number) {}
}
