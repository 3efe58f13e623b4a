import fc from 'fast-check';
import { GuestMmuModel } from './guest-mmu.model';
import { SimulatedGuest } from './simulated-guest';

/** Unmap a mapped page from a thread: the flush completes and no cache may still translate it. */
export class UnmapCommand implements fc.Command<GuestMmuModel, SimulatedGuest> {
  constructor(
    readonly thread: number,
    readonly index: number,
  ) {}

  check(model: GuestMmuModel): boolean {
    return model.pages.length > 0;
  }

  run(model: GuestMmuModel, real: SimulatedGuest): void {
    const page = model.pick(this.index);
    expect(real.kernel.unmap(this.thread, page.pid, page.ea)).toEqual({ kind: 'ok' });
    model.remove(page);
    expect(real.staleTranslation()).toBeUndefined();
  }

  toString(): string {
    return `unmap(thread=${this.thread}, page#${this.index})`;
  }
}
