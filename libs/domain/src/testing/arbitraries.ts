import fc from 'fast-check';
import type { FleetCommand } from '../fleet/fleet.commands';
import { decide } from '../fleet/fleet.decider';
import { InMemoryFleet } from '../fleet/in-memory-fleet';
import { aBoot, aHost } from './fleet-fixtures';

const HOSTS = ['h0', 'h1', 'h2', 'h3'];
const GUESTS = ['g0', 'g1', 'g2', 'g3', 'g4'];
const MACHINES = ['pseries-7.2', 'pseries-7.2,cap-nested-hv=on', 'pseries-6.2,cap-large-decr=off', 'pseries'];

/** One step of operator intent; turned into a command against the fleet as it stands, so most are valid. */
const stepArb = fc.record({ op: fc.integer({ min: 0, max: 6 }), a: fc.nat(), b: fc.nat(), minutes: fc.integer({ min: -5, max: 60 }) });

/**
 * Random command sequences over a small fleet (L0 hosts, nested hosts inside running guests, boots, migrations,
 * reboots, stops, retirements), mostly valid and sometimes refused, as an operator's history would be.
 */
export const fleetCommandSequence = (maxLength = 60): fc.Arbitrary<FleetCommand[]> =>
  fc.array(stepArb, { maxLength }).map((steps) => {
    const fleet = new InMemoryFleet();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const commands: FleetCommand[] = [];
    for (const { op, a, b, minutes } of steps) {
      clock += minutes * 60_000;
      const at = new Date(clock).toISOString();
      const hostId = HOSTS[a % HOSTS.length];
      const guestId = GUESTS[b % GUESTS.length];
      const running = [...fleet.guests.values()].filter((g) => g.status === 'running');
      let command: FleetCommand;
      switch (op) {
        case 0: {
          const parent = running.length > 0 && a % 3 === 0 ? running[b % running.length] : undefined;
          const parentLevel = parent ? fleet.host(parent.hostId)?.snapshot.level ?? 0 : -1;
          const snapshot = parent
            ? aHost({ hostId: `n-${hostId}`, observedAt: at, level: parentLevel + 1, parentGuestId: parent.guestId, kvm: { caps: { KVM_CAP_PPC_MMU_RADIX: 1 }, nestedEnabled: false } })
            : aHost({ hostId, observedAt: at, cpu: { model: a % 2 ? 'POWER9' : 'POWER10' } });
          command = { type: 'RecordHostSnapshot', data: snapshot };
          break;
        }
        case 1:
        case 2: {
          const hosts = [...fleet.hosts.keys()];
          command = { type: 'RecordGuestBoot', data: aBoot({ guestId, hostId: hosts.length ? hosts[a % hosts.length] : hostId, at, machine: MACHINES[a % MACHINES.length] }) };
          break;
        }
        case 3: {
          const hosts = [...fleet.hosts.keys()];
          command = { type: 'RecordGuestMigration', data: { guestId, toHostId: hosts.length ? hosts[a % hosts.length] : hostId, at, ...(a % 4 === 0 ? { machine: 'pseries-7.2,cap-large-decr=off' } : {}) } };
          break;
        }
        case 4:
          command = { type: 'RecordGuestReboot', data: { guestId, at, ...(a % 2 ? { kernel: { release: '6.12.0-1-powerpc64le', cmdline: 'radix_hcall_invalidate=on' } } : {}) } };
          break;
        case 5:
          command = { type: 'RecordGuestStop', data: { guestId, at } };
          break;
        default:
          command = { type: 'RetireHost', data: { hostId, at } };
      }
      commands.push(command);
      const decided = decide(command, fleet);
      if (decided.ok) fleet.apply(decided.value.event);
    }
    return commands;
  });
