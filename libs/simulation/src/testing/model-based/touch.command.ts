import fc from 'fast-check';
import { Access } from '../../mmu/translate';
import { GuestMmuModel } from './guest-mmu.model';
import { SimulatedGuest } from './simulated-guest';

/** Access an address from a thread: the system must translate exactly what the model says is mapped, nothing else. */
export class TouchCommand implements fc.Command<GuestMmuModel, SimulatedGuest> {
  constructor(
    readonly thread: number,
    readonly pid: number,
    readonly ea: number,
    readonly access: Access,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: GuestMmuModel, real: SimulatedGuest): void {
    const page = model.covering(this.pid, this.ea);
    const result = real.kernel.touch(this.thread, this.pid, this.ea, this.access);
    if (!page) expect(result).toEqual({ kind: 'dsi', reason: 'no-translation' });
    else if (this.access === 'store' && !page.writable) expect(result).toEqual({ kind: 'dsi', reason: 'protection' });
    else expect(result).toMatchObject({ kind: 'translated', gRaddr: page.gRaddr + (this.ea - page.ea) });
    expect(real.staleTranslation()).toBeUndefined();
  }

  toString(): string {
    return `touch(thread=${this.thread}, pid=${this.pid}, ea=0x${this.ea.toString(16)}, ${this.access})`;
  }
}
