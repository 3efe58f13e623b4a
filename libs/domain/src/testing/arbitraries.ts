import fc from 'fast-check';
import type { FleetCommand } from '../fleet/fleet.commands';
import { decide } from '../fleet/fleet.decider';
import { InMemoryFleet } from '../fleet/in-memory-fleet';
import { aBoot, aHost } from './fleet-fixtures';

const HOSTS = ['h0', 'h1', 'h2'];
const GUESTS = ['g0', 'g1', 'g2', 'g3', 'g4'];
const MACHINES = ['pseries-7.2,cap-nested-hv=on', 'pseries-7.2', 'pseries,cap-nested-hv=on', 'pseries-6.2,cap-large-decr=off', 'pseries'];

/** One step of operator intent; turned into a command against the fleet as it stands, so most are valid. */
const stepArb = fc.record({ op: fc.integer({ min: 0, max: 6 }), a: fc.nat(), b: fc.nat(), minutes: fc.integer({ min: -2, max: 60 }), wild: fc.integer({ min: 0, max: 9 }) });

/** Picks from the fitting candidates most of the time, and from everything (often refused) when `wild` says so. */
const choose = <T>(fitting: readonly T[], all: readonly T[], n: number, wild: boolean): T => {
  const from = wild || fitting.length === 0 ? all : fitting;
  return from[n % from.length];
};

/**
 * Random command sequences over a small fleet (L0 hosts, nested hosts inside running guests, boots, migrations,
 * reboots, stops, retirements), mostly valid and sometimes refused, as an operator's history would be.
 */
export const fleetCommandSequence = (maxLength = 60, minLength = 0): fc.Arbitrary<FleetCommand[]> =>
  fc.array(stepArb, { minLength, maxLength }).map((steps) => {
    const fleet = new InMemoryFleet();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const commands: FleetCommand[] = [];
    for (const { op, a, b, minutes, wild: w } of steps) {
      const wild = w === 0;
      clock += minutes * 60_000;
      const at = new Date(clock).toISOString();
      const guests = [...fleet.guests.values()];
      const running = guests.filter((g) => g.status === 'running').map((g) => g.guestId);
      const bootable = [...GUESTS.filter((g) => !fleet.guests.has(g)), ...guests.filter((g) => g.status === 'stopped').map((g) => g.guestId)];
      const hosts = [...fleet.hosts.values()].filter((h) => !h.retiredAt).map((h) => h.hostId);
      const allHosts = [...HOSTS, ...fleet.hosts.keys()];
      let command: FleetCommand;
      // An operator records hosts before guests, and boots before moving them: steer the early steps there.
      const effectiveOp = wild ? op : hosts.length === 0 ? 0 : running.length === 0 && op >= 3 && op <= 5 ? 1 : op;
      switch (effectiveOp) {
        case 0: {
          const nestable = guests.filter((g) => g.status === 'running' && g.contract?.effectiveCaps['nested-hv'] === 1 && g.contract.mmu === 'radix');
          const parent = nestable.length > 0 && a % 2 === 0 ? nestable[b % nestable.length] : undefined;
          const parentLevel = parent ? (fleet.host(parent.hostId)?.snapshot.level ?? 0) : -1;
          const snapshot = parent
            ? aHost({ hostId: `n-${parent.guestId}`, observedAt: at, level: parentLevel + 1, parentGuestId: parent.guestId, kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_NESTED_HV: 1 }, nestedEnabled: true, decrBits: 56 } })
            : aHost({ hostId: HOSTS[a % HOSTS.length], observedAt: at, cpu: { model: 'POWER9' } });
          command = { type: 'RecordHostSnapshot', data: snapshot };
          break;
        }
        case 1:
        case 2:
          command = { type: 'RecordGuestBoot', data: aBoot({ guestId: choose(bootable, GUESTS, b, wild), hostId: choose(hosts, allHosts, a, wild), at, machine: MACHINES[a % MACHINES.length] }) };
          break;
        case 3:
          command = { type: 'RecordGuestMigration', data: { guestId: choose(running, GUESTS, b, wild), toHostId: choose(hosts, allHosts, a, wild), at, ...(a % 4 === 0 ? { machine: 'pseries-7.2,cap-large-decr=off' } : {}) } };
          break;
        case 4:
          command = { type: 'RecordGuestReboot', data: { guestId: choose(running, GUESTS, b, wild), at, ...(a % 2 ? { kernel: { release: '6.12.0-1-powerpc64le', cmdline: 'radix_hcall_invalidate=on' } } : {}) } };
          break;
        case 5:
          command = { type: 'RecordGuestStop', data: { guestId: choose(running, GUESTS, b, wild), at } };
          break;
        default:
          command = { type: 'RetireHost', data: { hostId: choose(hosts, allHosts, a, wild), at } };
      }
      commands.push(command);
      const decided = decide(command, fleet);
      if (decided.ok) fleet.apply(decided.value.event);
    }
    return commands;
  });
