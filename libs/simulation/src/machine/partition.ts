/**
 * What the partition table entry (PATE) of one LPID gives the hardware (domain/mmu.md §1):
 * dw0 (HR=1) the partition-scoped tree, dw1 (GR=1, PRTB/PRTS) the process table registered by the guest
 * with H_REGISTER_PROC_TBL. Process-table entries (PRTBE) are the per-PID trees.
 */
import { PartitionTableEntry } from '../radix/pate';
import { LeafEntry } from '../radix/radix-entry';
import { RadixTree } from '../radix/radix-tree';

export interface PartitionScopedTranslation {
  /** What the hardware walks for a guest real address: L0's tree for a guest, the shadow tree for an L2. */
  hardware(gRaddr: number): LeafEntry | undefined;
  /** What the translation must be: for an L2, L1's tree for it composed with L0's tree for L1. */
  authoritative(gRaddr: number): LeafEntry | undefined;
  /** HDSI: the hypervisor resolves a partition-scoped miss (KVM radix page fault); false if it cannot. */
  resolveFault(gRaddr: number): boolean;
  /** Entries the hypervisor caches on the hardware's behalf (L0's shadow translations of an L2). */
  cached?(): Iterable<{ readonly gRaddr: number; readonly leaf: LeafEntry }>;
}

export interface Partition {
  readonly lpid: number;
  /** The entry at index LPID of the partition table, as the hardware would read it. */
  pate: PartitionTableEntry;
  /** PATE dw1 PRTB: PID → process-scoped tree; undefined until H_REGISTER_PROC_TBL. */
  processTable: ReadonlyMap<number, RadixTree> | undefined;
  readonly partitionScoped: PartitionScopedTranslation;
}
