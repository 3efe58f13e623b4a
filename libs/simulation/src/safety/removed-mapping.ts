/**
 * A translation the guest (or an L1, for its L2) removed or weakened and must invalidate: a process-scoped
 * EA range of one PID, or a partition-scoped guest-real range of one LPID (domain/mmu.md §6 invariant 2:
 * valid → invalid, RPN change and permission reduction need a matching invalidation; invalid → valid does not).
 * `lpid` is the LPID the hardware tags entries with (an L2's shadow LPID).
 */
export type RemovedMapping =
  | { readonly scope: 'process'; readonly lpid: number; readonly pid: number; readonly start: number; readonly end: number }
  | { readonly scope: 'partition'; readonly lpid: number; readonly start: number; readonly end: number };

export function overlaps(start: number, end: number, otherStart: number, otherEnd: number): boolean {
  return start < otherEnd && otherStart < end;
}
