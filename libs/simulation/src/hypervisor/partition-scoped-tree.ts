/**
 * A hypervisor's partition-scoped tree for one guest (guest real → its own real), filled lazily the way
 * KVM-HV does on a Hypervisor Data Storage interrupt (Linux `kvmppc_book3s_radix_page_fault`,
 * arch/powerpc/kvm/book3s_64_mmu_radix.c). Invalid → valid needs no flush. Guest RAM is backed by pages of
 * `PARTITION_PAGE_SIZE` (the host's `kvm.ramPageSizeKiB`, 64 by default).
 */
import { alignDown, PageSize } from '../isa/page-size';
import { FrameAllocator } from '../machine/frame-allocator';
import { LeafEntry } from '../radix/radix-entry';
import { RadixTree, Unmapped } from '../radix/radix-tree';
import { TableMemory } from '../radix/table-memory';

export const PARTITION_PAGE_SIZE: PageSize = '64K';

export class PartitionScopedTree {
  readonly tree: RadixTree;

  constructor(
    memory: TableMemory,
    private readonly frames: FrameAllocator,
  ) {
    this.tree = new RadixTree(memory, '64K');
  }

  lookup(gRaddr: number): LeafEntry | undefined {
    return this.tree.lookup(gRaddr);
  }

  /** The HDSI handler: back the guest real page with a fresh real page. */
  fault(gRaddr: number): LeafEntry {
    const existing = this.tree.lookup(gRaddr);
    if (existing) return existing;
    this.tree.map(alignDown(gRaddr, PARTITION_PAGE_SIZE), this.frames.allocate(PARTITION_PAGE_SIZE), PARTITION_PAGE_SIZE, true);
    return this.tree.lookup(gRaddr) as LeafEntry;
  }

  /** Takes a guest real page away (ballooning, page migration); the caller invalidates, then `release`s. */
  reclaim(gRaddr: number): Unmapped | undefined {
    return this.tree.unmap(gRaddr);
  }

  /** After the invalidation completed: the real page and the unlinked tables may be reused. */
  release(reclaimed: Unmapped): void {
    this.frames.release(reclaimed.leaf.raddr, PARTITION_PAGE_SIZE);
    reclaimed.unlinked.forEach((table) => this.tree.memory.free(table));
  }
}
