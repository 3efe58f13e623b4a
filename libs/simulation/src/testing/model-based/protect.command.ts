import fc from 'fast-check';
import { GuestMmuModel } from './guest-mmu.model';
import { SimulatedGuest } from './simulated-guest';

/** Write-protect a mapped page from a thread: a later store must fault on every thread. */
export class ProtectCommand implements fc.Command<GuestMmuModel, SimulatedGuest> {
  constructor(
    readonly thread: number,
    readonly index: number,
  ) {}

  check(model: GuestMmuModel): boolean {
    return model.pages.length > 0;
  }

  run(model: GuestMmuModel, real: SimulatedGuest): void {
    const page = model.pick(this.index);
    expect(real.kernel.protect(this.thread, page.pid, page.ea)).toEqual({ kind: 'ok' });
    page.writable = false;
    expect(real.staleTranslation()).toBeUndefined();
  }

  toString(): string {
    return `protect(thread=${this.thread}, page#${this.index})`;
  }
}
