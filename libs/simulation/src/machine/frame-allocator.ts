/**
 * Hands out naturally aligned real pages of each size and takes them back. Freed pages are reused first
 * (LIFO), so a page whose translation went stale soon belongs to someone else: exactly why a stale
 * translation is memory corruption.
 */
import { pageBytes, PageSize } from '../isa/page-size';

export class FrameAllocator {
  private readonly free = new Map<PageSize, number[]>();
  private next: number;

  constructor(base: number) {
    this.next = base;
  }

  allocate(size: PageSize): number {
    const reused = this.free.get(size)?.pop();
    if (reused !== undefined) return reused;
    const bytes = pageBytes(size);
    const frame = Math.ceil(this.next / bytes) * bytes;
    this.next = frame + bytes;
    return frame;
  }

  release(frame: number, size: PageSize): void {
    const list = this.free.get(size) ?? [];
    list.push(frame);
    this.free.set(size, list);
  }
}
