/**
 * An oracle for a skipped PWC flush that never asks the safety monitor: for each entry the flush left, walk the
 * process-scoped tree it was cached from afresh (radix/walk-tree.ts from the root, as the hardware would with
 * an empty PWC) and compare the directory the walk reads at the entry's depth with the NLB the entry caches.
 * An entry that no longer matches and is still in its thread's PWC is a stale translation: a walk on that
 * thread would start from a table the guest has unlinked (and, once the step is over, freed).
 */
import { LeftPwcEntry } from '../machine/fault-injection';
import { Machine } from '../machine/machine';
import { PwcEntry } from '../mmu/page-walk-cache';
import { TableAddress } from '../radix/table-memory';
import { walkTree } from '../radix/walk-tree';

/** The NLB a fresh walk reads at `entry.depth` for the entry's prefix; undefined if the walk stops above it. */
function walkedNlb(machine: Machine, entry: PwcEntry): TableAddress | undefined {
  const tree = machine.partitions.get(entry.lpid)?.processTable?.get(entry.pid);
  if (!tree) return undefined;
  let nlb: TableAddress | undefined;
  walkTree(tree.memory, tree.geometry, { depth: 0, table: tree.root }, entry.prefix, (depth, _prefix, next) => {
    if (depth === entry.depth) nlb = next;
  });
  return nlb;
}

/** The entries a skipped flush left that are still cached where it left them and no longer match the tables. */
export function staleLeftEntries(machine: Machine, left: readonly LeftPwcEntry[]): LeftPwcEntry[] {
  return left.filter(({ thread, entry }) => {
    const cached = machine.threads[thread].pwc.lookup(entry.lpid, entry.pid, entry.depth, entry.prefix);
    return cached === entry && walkedNlb(machine, entry) !== entry.nlb;
  });
}
