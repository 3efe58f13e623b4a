import type { SpaprCapLevels } from '../caps/spapr-caps';
import { guestBooted } from '../testing/fleet-fixtures';
import type { GuestEvent } from './fleet.events';
import { evolveGuest } from './guest.state';

describe('When a running guest migrates', () => {
  const booted = evolveGuest(undefined, guestBooted() as GuestEvent, 1);
  const contract = booted.contract!;
  const migrated = (effectiveCaps: SpaprCapLevels | null, overrides: { machine?: string; cpu?: string } = {}) =>
    evolveGuest(booted, { type: 'GuestMigrated', data: { guestId: 'vm-42', fromHostId: 'p9-a', toHostId: 'p9-b', at: '2026-11-24T11:00:00Z', ...overrides, effectiveCaps } }, 2);

  it('keeps the very contract it booted with when the destination runs the same caps, however they are held', () => {
    expect(migrated({ ...contract.effectiveCaps }).contract).toBe(contract);
    expect(migrated(null).contract).toBe(contract);
  });
  it('runs with the destination caps otherwise, the rest of its contract unchanged', () => {
    const caps = { ...contract.effectiveCaps, 'large-decr': 0 };
    expect(migrated(caps).contract).toEqual({ ...contract, effectiveCaps: caps });
    const { htm: _htm, ...fewer } = contract.effectiveCaps;
    expect(migrated(fewer).contract?.effectiveCaps).toBe(fewer);
  });
  it('keeps its configuration unless the migration overrides the machine or the CPU', () => {
    expect(migrated(null).configuration).toBe(booted.configuration);
    expect(migrated(null, { cpu: 'POWER9' }).configuration).toEqual({ ...booted.configuration, cpu: 'POWER9' });
  });
});
