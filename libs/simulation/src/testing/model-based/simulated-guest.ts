/** The system under test for model-based testing: one booted guest of the simulation, with its safety monitor. */
import { GuestKernel } from '../../guest/guest-kernel';
import { FaultInjection } from '../../machine/fault-injection';
import { Machine } from '../../machine/machine';
import { SafetyMonitor, StaleTranslation } from '../../safety/stale-translation';
import { bootGuest } from '../../scenario/boot-guest';
import { GuestPlan, HostPlan } from '../../scenario/plan';
import { Trace } from '../../scenario/trace';

export class SimulatedGuest {
  private constructor(
    readonly machine: Machine,
    readonly kernel: GuestKernel,
    private readonly monitor: SafetyMonitor,
  ) {}

  static boot(guest: GuestPlan, host: HostPlan, faults: FaultInjection = {}): SimulatedGuest {
    const monitor = new SafetyMonitor();
    const boot = bootGuest(guest, host, new Trace(), monitor, faults);
    if (boot.kind !== 'booted') throw new Error(`guest did not boot radix: ${JSON.stringify(boot)}`);
    return new SimulatedGuest(boot.machine, boot.kernel, monitor);
  }

  /** The whole safety property, over every cache. */
  staleTranslation(): StaleTranslation | undefined {
    return this.monitor.check(this.machine);
  }
}
