/**
 * The effect of a TLB invalidation on the caches of the threads it reaches, for the operands of a valid
 * radix `tlbie`/`tlbiel` (Power ISA 3.0B Book III "tlbie"; QEMU `helper_tlbie_isa300`; domain/mmu.md §3):
 * RIC selects TLB / PWC / both, IS the entries, PRS process- or partition-scoped.
 * - PRS=1: IS=0 the page of size AP at EPN, IS=1 the PID, IS=2 the LPID, IS=3 everything.
 * - PRS=0 (partition-scoped): combined TLB entries derive from the partition-scoped translation, so IS=0
 *   drops the entries whose guest real page lies in [EPN, EPN+size) and IS=2/3 every entry of the LPID (all
 *   LPIDs). Its PWC part conservatively drops the LPID's process-scoped PWC entries (the model caches no
 *   partition-scoped walks), as QEMU's helper falls back to a wider flush where the precise one is unknown.
 * Cached partition-/process-table entries (RIC=2) are not modelled: the model re-reads the PATE every walk.
 *
 * Under QEMU TCG the emulated TLB is what QEMU implements, not what the ISA allows: `helper_tlbie_isa300`
 * (target/ppc/mmu_helper.c) caches no page walks ("We don't cache Page Walks"), ignores PRS, LPID and PID
 * ("PRS is currently ignored"), flushes the EA page for IS=0 and everything otherwise ("Invalidation by LPID
 * or PID is not supported, so fallback to full TLB flush").
 */
import { alignDown, pageBytes, PageSize } from '../isa/page-size';
import {
  Is,
  PRS_PROCESS_SCOPED,
  Ric,
  TLBIE_IS_ALL,
  TLBIE_IS_LPID,
  TLBIE_IS_PID,
  TLBIE_IS_VA,
  TLBIE_RIC_ALL,
  TLBIE_RIC_PWC,
  TLBIE_RIC_TLB,
  Bit,
} from '../isa/tlbie-operands';
import { assertNever } from '../assert-never';
import { Machine } from '../machine/machine';
import { HardwareThread } from './hardware-thread';
import { PwcEntry } from './page-walk-cache';
import { TlbEntry } from './tlb';

export interface InvalidationScope {
  readonly ric: Ric;
  readonly prs: Bit;
  readonly is: Is;
  readonly lpid: number;
  readonly pid: number;
  /** IS=0 only: the page. */
  readonly ea: number;
  readonly pageSize: PageSize;
}

export interface InvalidationEffect {
  readonly tlbDropped: number;
  readonly pwcDropped: number;
}

function tlbMatcher(scope: InvalidationScope): (entry: TlbEntry) => boolean {
  const { is, lpid, pid } = scope;
  if (scope.prs === PRS_PROCESS_SCOPED) {
    switch (is) {
      case TLBIE_IS_VA: {
        const ea = alignDown(scope.ea, scope.pageSize);
        return (entry) =>
          entry.lpid === lpid && entry.pid === pid && entry.processPageSize === scope.pageSize && alignDown(entry.ea, scope.pageSize) === ea;
      }
      case TLBIE_IS_PID:
        return (entry) => entry.lpid === lpid && entry.pid === pid;
      case TLBIE_IS_LPID:
        return (entry) => entry.lpid === lpid;
      case TLBIE_IS_ALL:
        return () => true;
      default:
        return assertNever(is);
    }
  }
  switch (is) {
    case TLBIE_IS_VA: {
      const start = alignDown(scope.ea, scope.pageSize);
      const end = start + pageBytes(scope.pageSize);
      return (entry) => entry.lpid === lpid && entry.gRaddr < end && entry.gRaddr + pageBytes(entry.pageSize) > start;
    }
    case TLBIE_IS_PID: // an invalid form with PRS=0; rejected before we get here
    case TLBIE_IS_LPID:
      return (entry) => entry.lpid === lpid;
    case TLBIE_IS_ALL:
      return () => true;
    default:
      return assertNever(is);
  }
}

function pwcMatcher(scope: InvalidationScope): (entry: PwcEntry) => boolean {
  const { is, lpid, pid } = scope;
  if (is === TLBIE_IS_ALL) return () => true;
  if (scope.prs === PRS_PROCESS_SCOPED && is === TLBIE_IS_PID) return (entry) => entry.lpid === lpid && entry.pid === pid;
  return (entry) => entry.lpid === lpid;
}

/** QEMU TCG: the EA page in every partition and process for IS=0, everything else otherwise. */
function qemuTcgTlbMatcher(scope: InvalidationScope): (entry: TlbEntry) => boolean {
  if (scope.is !== TLBIE_IS_VA) return () => true;
  const start = alignDown(scope.ea, scope.pageSize);
  const end = start + pageBytes(scope.pageSize);
  return (entry) => entry.ea < end && entry.ea + pageBytes(entry.pageSize) > start;
}

export function invalidate(machine: Machine, threads: readonly HardwareThread[], scope: InvalidationScope): InvalidationEffect {
  let tlbDropped = 0;
  if (scope.ric === TLBIE_RIC_TLB || scope.ric === TLBIE_RIC_ALL) {
    const matches = machine.emulation === 'tcg' ? qemuTcgTlbMatcher(scope) : tlbMatcher(scope);
    for (const thread of threads) tlbDropped += thread.tlb.dropWhere(matches);
  }
  if (scope.ric !== TLBIE_RIC_PWC && scope.ric !== TLBIE_RIC_ALL) return { tlbDropped, pwcDropped: 0 };

  const matches = pwcMatcher(scope);
  const taken = threads.flatMap((thread) => thread.pwc.takeWhere(matches).map((entry) => ({ thread: thread.index, entry })));
  if (shouldSkip(machine, taken.length)) {
    machine.injectedFaults.push({ fault: 'pwc-flush', skipped: taken.length, left: taken });
    taken.forEach(({ thread, entry }) => machine.threads[thread].pwc.insert(entry));
    return { tlbDropped, pwcDropped: 0 };
  }
  return { tlbDropped, pwcDropped: taken.length };
}

/** Test-only fault injection (FaultInjection.skipPwcFlush): counts every flush that removed an entry, by count alone. */
function shouldSkip(machine: Machine, dropped: number): boolean {
  const skip = machine.faults.skipPwcFlush;
  if (!skip || dropped === 0) return false;
  return machine.pwcFlushes++ === skip.nth;
}
