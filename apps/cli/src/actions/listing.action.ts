import { AsOf, ListGuests, ListHosts } from '@spapr/planner';
import { EXIT } from '../cli-error';
import type { CliResult } from '../cli-result';
import type { GlobalOptions } from '../global-options';
import { renderTable } from '../output/table';
import { withPlanner } from '../planner-session';

export const hostsAction = async (global: GlobalOptions, asOf?: AsOf): Promise<CliResult> => {
  const hosts = await withPlanner(global.db, (p) => p.queries.execute(new ListHosts(asOf)));
  const rows = hosts.map(({ host: { hostId, snapshot: s, retiredAt }, runningGuests }) => [
    hostId,
    String(s.level),
    s.parentGuestId ?? '-',
    s.cpu.model,
    s.accelerator,
    s.qemu.version,
    s.kernel.release,
    retiredAt ? `retired ${retiredAt}` : `${runningGuests} running`,
    s.observedAt,
  ]);
  return { exitCode: EXIT.ok, json: hosts, human: renderTable(['HOST', 'LEVEL', 'PARENT', 'CPU', 'ACCEL', 'QEMU', 'KERNEL', 'STATE', 'OBSERVED'], rows) };
};

export const guestsAction = async (global: GlobalOptions, asOf?: AsOf): Promise<CliResult> => {
  const guests = await withPlanner(global.db, (p) => p.queries.execute(new ListGuests(asOf)));
  const rows = guests.map((g) => [g.guestId, g.status, g.hostId, g.configuration.machine, g.configuration.cpu, g.configuration.kernel.release, g.bootedAt, String(g.migrations)]);
  return { exitCode: EXIT.ok, json: guests, human: renderTable(['GUEST', 'STATUS', 'HOST', 'MACHINE', 'CPU', 'KERNEL', 'BOOTED', 'MIGRATIONS'], rows) };
};
