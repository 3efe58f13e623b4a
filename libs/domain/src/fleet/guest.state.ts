import type { SpaprCapLevels } from '../caps/spapr-caps';
import type { GuestBoot, GuestKernel } from '../input/guest-boot.schema';
import type { GuestEvent } from './fleet.events';
import type { RecordedContract } from './recorded-contract';

/** The configuration the guest's QEMU runs with now: the boot's, as changed by migrations and reboots. */
export interface GuestConfiguration {
  readonly machine: string;
  readonly cpu: string;
  readonly smp?: { threads: number };
  readonly kernel: GuestKernel;
}

export interface GuestState {
  readonly guestId: string;
  readonly version: number;
  readonly status: 'running' | 'stopped';
  readonly hostId: string;
  readonly configuration: GuestConfiguration;
  /** What CAS negotiated, kept across migrations with the caps of the QEMU it runs on now; null when unknown. */
  readonly contract: RecordedContract | null;
  readonly bootedAt: string;
  /** Event positions of the last boot (or reboot: CAS ran then) and of the last event: evidence for answers. */
  readonly bootPosition: number;
  readonly bootEvent: 'GuestBooted' | 'GuestRebooted';
  readonly lastEventPosition: number;
  readonly lastEventAt: string;
  readonly migrations: number;
}

const configurationOf = (boot: GuestBoot, machineResolved: string | null): GuestConfiguration => ({
  machine: machineResolved ?? boot.machine,
  cpu: boot.cpu,
  ...(boot.smp ? { smp: boot.smp } : {}),
  kernel: boot.kernel,
});

/** Same levels for the same caps: a migration between hosts of one class changes no cap. */
const sameCaps = (a: SpaprCapLevels, b: SpaprCapLevels): boolean => {
  if (a === b) return true;
  const names = Object.keys(a) as (keyof SpaprCapLevels)[];
  return names.length === Object.keys(b).length && names.every((name) => a[name] === b[name]);
};

/**
 * The contract with the destination QEMU's caps (spapr_caps_post_migration); the same object when they are the
 * caps it had, so a contract shared by every guest of a boot class stays shared (and its stored form made once).
 */
const withCaps = (contract: RecordedContract | null, effectiveCaps: SpaprCapLevels | null): RecordedContract | null =>
  contract && effectiveCaps && !sameCaps(contract.effectiveCaps, effectiveCaps) ? { ...contract, effectiveCaps } : contract;

export const evolveGuest = (state: GuestState | undefined, event: GuestEvent, position: number): GuestState => {
  const version = (state?.version ?? 0) + 1;
  if (event.type === 'GuestBooted') {
    const boot = event.data;
    const { cas } = boot;
    return {
      guestId: boot.guestId,
      version,
      status: 'running',
      hostId: boot.hostId,
      configuration: configurationOf(boot, cas.machineResolved),
      contract: cas.contract,
      bootedAt: boot.at,
      bootPosition: position,
      bootEvent: 'GuestBooted',
      lastEventPosition: position,
      lastEventAt: boot.at,
      migrations: state?.migrations ?? 0,
    };
  }
  if (!state) throw new Error(`${event.type} for unknown guest ${event.data.guestId}`);
  switch (event.type) {
    case 'GuestMigrated': {
      const { machine, cpu, effectiveCaps } = event.data;
      const configuration = machine || cpu ? { ...state.configuration, ...(machine ? { machine } : {}), ...(cpu ? { cpu } : {}) } : state.configuration;
      const contract = withCaps(state.contract, effectiveCaps);
      return { ...state, version, hostId: event.data.toHostId, configuration, contract, lastEventAt: event.data.at, lastEventPosition: position, migrations: state.migrations + 1 };
    }
    case 'GuestRebooted': {
      const { machine, kernel, cas } = event.data;
      const configuration = { ...state.configuration, machine: cas.machineResolved ?? machine ?? state.configuration.machine, ...(kernel ? { kernel } : {}) };
      return { ...state, version, configuration, contract: cas.contract, bootedAt: event.data.at, bootPosition: position, bootEvent: 'GuestRebooted', lastEventAt: event.data.at, lastEventPosition: position };
    }
    case 'GuestStopped':
      return { ...state, version, status: 'stopped', lastEventAt: event.data.at, lastEventPosition: position };
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled guest event ${JSON.stringify(unhandled)}`);
    }
  }
};
