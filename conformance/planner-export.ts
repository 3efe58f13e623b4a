/**
 * Planner-facing files of one observation, for wiring the conformance run to the planner:
 *   record.jsonl      `spapr-planner import` input (host snapshots and the boots that precede the check,
 *                     with `observed` ov5/mmu where real QEMU booted them)
 *   guest-spec.json   `check boot --guest-spec` document (boot and nested cases)
 *   check.args        the CLI arguments of the check, one per line (add `--db` and `--json`)
 */
import { GuestSpec, HostSnapshot, Observation, LevelOutcome } from './types';

function at(base: string, step: number): string {
  return new Date(Date.parse(base) + step * 60_000).toISOString().replace(/\.000Z$/, 'Z');
}

function hostCmd(h: HostSnapshot, observedAt: string): string {
  return JSON.stringify({ command: 'RecordHostSnapshot', data: { ...h, observedAt } });
}

function bootCmd(g: GuestSpec, when: string, seen?: { mmu?: string; ov5?: string }): string {
  const observed = seen?.ov5 && seen.mmu ? { observed: { ov5: seen.ov5, mmu: seen.mmu } } : {};
  return JSON.stringify({ command: 'RecordGuestBoot', data: { ...g, at: when, ...observed } });
}

function migrationArgs(c: { guestId: string; toHostId: string; machine?: string; cpu?: string }): string {
  const args = ['check', 'migration', '--guest', c.guestId, '--to', c.toHostId];
  if (c.machine !== undefined) args.push('--machine', c.machine);
  if (c.cpu !== undefined) args.push('--cpu', c.cpu);
  return args.join('\n') + '\n';
}

export function plannerFiles(o: Observation): Record<string, string> {
  const p = o.planner;
  const t0 = p.hosts[0].observedAt;
  const lines: string[] = [];
  let step = 0;
  const files: Record<string, string> = {};
  if ('guest' in p && p.check.verb === 'boot') {
    for (const h of p.hosts) lines.push(hostCmd(h, at(t0, step++)));
    files['guest-spec.json'] = JSON.stringify(p.guest, null, 2) + '\n';
    files['check.args'] = ['check', 'boot', '--guest-spec', 'guest-spec.json', '--host', p.check.hostId].join('\n') + '\n';
  } else if ('guest' in p && p.check.verb === 'migration') {
    for (const h of p.hosts) lines.push(hostCmd(h, at(t0, step++)));
    const seen = o.observed.ov5 !== undefined ? o.observed : undefined;
    lines.push(bootCmd(p.guest, at(t0, step++), seen));
    files['check.args'] = migrationArgs(p.check);
  } else if ('guests' in p) {
    const levels: LevelOutcome[] = o.observed.levels ?? [];
    // L0, then for each hypervisor guest: its boot, then the host snapshot a collector inside it reports.
    lines.push(hostCmd(p.hosts[0], at(t0, step++)));
    const c = p.check;
    const recorded = c.verb === 'boot' ? p.guests.slice(0, -1) : p.guests;
    recorded.forEach((g, i) => {
      lines.push(bootCmd(g, at(t0, step++), levels[i]));
      // A migration case's destination is a second host on the same hypervisor guest (cases.ts withProbedHosts).
      for (const h of p.hosts.filter((x) => x.parentGuestId === g.guestId)) lines.push(hostCmd(h, at(t0, step++)));
    });
    if (c.verb === 'boot') {
      files['guest-spec.json'] = JSON.stringify(p.guests[p.guests.length - 1], null, 2) + '\n';
      files['check.args'] = ['check', 'boot', '--guest-spec', 'guest-spec.json', '--host', c.hostId].join('\n') + '\n';
    } else if (c.verb === 'migration') {
      files['check.args'] = migrationArgs(c);
    } else {
      files['check.args'] = ['check', 'nesting', '--guest', c.guestId].join('\n') + '\n';
    }
  }
  files['record.jsonl'] = lines.join('\n') + '\n';
  // What really booted, to record after the check (the planner then compares its model: MODEL-DISAGREES).
  if (o.observed.kind === 'booted' && files['guest-spec.json'] !== undefined) {
    const g = JSON.parse(files['guest-spec.json']) as GuestSpec;
    files['observed-boot.jsonl'] = bootCmd(g, at(t0, step++), o.observed) + '\n';
  }
  return files;
}
