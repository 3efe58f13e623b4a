/**
 * L0's shadow (nested) partition-scoped translations of one L2, nested API v1 (Linux
 * arch/powerpc/kvm/book3s_hv_nested.c; domain/nested.md):
 * - the hardware runs the L2 under a shadow LPID whose tree L0 builds lazily on a nested HDSI
 *   (`kvmhv_nested_page_fault`) from L1's tree for the L2 composed with L0's tree for L1, remembering each
 *   shadow PTE in the nested rmap (`kvmhv_insert_nest_rmap`);
 * - `invalidate` is `kvmhv_invalidate_shadow_pte` over a guest-real range: drop the shadow PTEs, then one
 *   partition-scoped `tlbie` per page on the shadow LPID (`kvmppc_radix_tlbie_page`, L0 on bare metal).
 */
import { alignDown, AP_OF, pageBytes, smallerPageSize } from '../isa/page-size';
import { PRS_PARTITION_SCOPED, R_RADIX, TLBIE_IS_VA, TLBIE_RIC_TLB, TlbInstruction } from '../isa/tlbie-operands';
import { L0_FRAME_BASE, L0_TABLE_BASE, L1_FRAME_BASE, L1_TABLE_BASE } from '../machine/address-layout';
import { FrameAllocator } from '../machine/frame-allocator';
import { Machine } from '../machine/machine';
import { PartitionScopedTranslation } from '../machine/partition';
import { hypervisorContext } from '../mmu/hardware-thread';
import { GLOBAL_SYNC, runSequence } from '../mmu/tlb-sequence';
import { PartitionTableEntry, pateDw0 } from '../radix/pate';
import { LeafEntry } from '../radix/radix-entry';
import { RadixTree } from '../radix/radix-tree';
import { TableMemory } from '../radix/table-memory';
import { PartitionScopedTree } from './partition-scoped-tree';

export class ShadowPartition {
  /** L1's partition-scoped tree for the L2 (L1's own guest memory, as L1 manages it). */
  readonly l1TreeForL2: PartitionScopedTree;
  private readonly l0TreeForL1: PartitionScopedTree;
  private readonly shadow: RadixTree;
  /** L0's nested rmap: every shadow PTE, by L2 guest-real page. */
  private readonly rmap = new Map<number, LeafEntry>();

  constructor(
    private readonly machine: Machine,
    readonly shadowLpid: number,
  ) {
    const l0Memory = new TableMemory(L0_TABLE_BASE);
    this.l0TreeForL1 = new PartitionScopedTree(l0Memory, new FrameAllocator(L0_FRAME_BASE));
    this.l1TreeForL2 = new PartitionScopedTree(new TableMemory(L1_TABLE_BASE), new FrameAllocator(L1_FRAME_BASE));
    this.shadow = new RadixTree(l0Memory, '64K');
  }

  /** PATE dw0 of the shadow LPID: the shadow tree. */
  pateDw0(): PartitionTableEntry['dw0'] {
    return pateDw0(this.shadow.root, this.shadow.geometry);
  }

  translation(): PartitionScopedTranslation {
    return {
      hardware: (gRaddr) => this.shadow.lookup(gRaddr),
      authoritative: (gRaddr) => this.composite(gRaddr),
      resolveFault: (gRaddr) => this.nestedPageFault(gRaddr),
      cached: () => Array.from(this.rmap, ([gRaddr, leaf]) => ({ gRaddr, leaf })),
    };
  }

  /** L2 guest real → host real as the tables say: L1's tree for the L2, then L0's tree for L1. */
  private composite(gRaddr: number): LeafEntry | undefined {
    const inL1 = this.l1TreeForL2.lookup(gRaddr);
    if (!inL1) return undefined;
    const l1Raddr = inL1.raddr + (gRaddr - alignDown(gRaddr, inL1.pageSize));
    const inL0 = this.l0TreeForL1.lookup(l1Raddr);
    if (!inL0) return undefined;
    const pageSize = smallerPageSize(inL1.pageSize, inL0.pageSize);
    const hRaddr = inL0.raddr + (l1Raddr - alignDown(l1Raddr, inL0.pageSize));
    return { type: 'leaf', raddr: alignDown(hRaddr, pageSize), pageSize, writable: inL1.writable && inL0.writable };
  }

  /** `kvmhv_nested_page_fault`: L1 maps the page if it has not (reflected HDSI), L0 backs L1's page, then the shadow PTE. */
  private nestedPageFault(gRaddr: number): boolean {
    const inL1 = this.l1TreeForL2.fault(gRaddr);
    this.l0TreeForL1.fault(inL1.raddr + (gRaddr - alignDown(gRaddr, inL1.pageSize)));
    const leaf = this.composite(gRaddr);
    if (!leaf) return false;
    const base = alignDown(gRaddr, leaf.pageSize);
    this.shadow.map(base, leaf.raddr, leaf.pageSize, leaf.writable);
    this.rmap.set(base, leaf);
    return true;
  }

  /** `kvmhv_invalidate_shadow_pte` for every shadow PTE in [start, end), run by L0 on `thread`. */
  invalidate(thread: number, start: number, end: number): void {
    const covered = [...this.rmap].filter(([base, leaf]) => base < end && base + pageBytes(leaf.pageSize) > start);
    if (covered.length === 0) return;
    if (!this.injectSkip(covered.length)) {
      for (const [base] of covered) {
        this.rmap.delete(base);
        this.shadow.unmap(base)?.unlinked.forEach((table) => this.shadow.memory.free(table));
      }
    }
    const tlbies: TlbInstruction[] = covered.map(([base, leaf]) => ({
      mnemonic: 'tlbie',
      operands: {
        ric: TLBIE_RIC_TLB,
        prs: PRS_PARTITION_SCOPED,
        r: R_RADIX,
        is: TLBIE_IS_VA, // one guest-real page
        rs: { pid: 0, lpid: this.shadowLpid },
        rb: { epn: base, ap: AP_OF[leaf.pageSize], set: 0 },
      },
    }));
    runSequence(this.machine, hypervisorContext(thread, 0n), [...tlbies, ...GLOBAL_SYNC]);
  }

  /** Test-only `FaultInjection.skipShadowPte`: counts only invalidations that cover a shadow PTE. */
  private injectSkip(shadowPtes: number): boolean {
    const skip = this.machine.faults.skipShadowPte;
    if (!skip || this.machine.shadowInvalidations++ !== skip.nth) return false;
    this.machine.injectedFaults.push({ fault: 'shadow-pte', skipped: shadowPtes });
    return true;
  }
}
