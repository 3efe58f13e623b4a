import fc from 'fast-check';
import { GuestMmuModel } from './guest-mmu.model';
import { SimulatedGuest } from './simulated-guest';

/** Flush a whole mm (`radix__flush_all_mm`): completes, changes nothing the guest can observe. */
export class FlushMmCommand implements fc.Command<GuestMmuModel, SimulatedGuest> {
  constructor(
    readonly thread: number,
    readonly pid: number,
  ) {}

  check(): boolean {
    return true;
  }

  run(_model: GuestMmuModel, real: SimulatedGuest): void {
    expect(real.kernel.flushMm(this.thread, this.pid)).toEqual({ kind: 'ok' });
    expect(real.staleTranslation()).toBeUndefined();
  }

  toString(): string {
    return `flushMm(thread=${this.thread}, pid=${this.pid})`;
  }
}
