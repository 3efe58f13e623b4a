import type { CommandDocument } from '@spapr/planner';

/** A small deterministic PRNG (mulberry32): the same fleet on every run. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const hostSnapshot = (hostId: string, observedAt: string, model: string) => ({
  hostId,
  observedAt,
  level: 0,
  cpu: { model, dd: '2.3' },
  accelerator: 'kvm-hv',
  kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'root=/dev/sda2 quiet' },
  qemu: { version: '7.2.0' },
  kvm: {
    caps: { KVM_CAP_PPC_MMU_RADIX: 1, KVM_CAP_PPC_MMU_HASH_V3: 1, KVM_CAP_PPC_NESTED_HV: 1, KVM_CAP_PPC_RPT_INVALIDATE: 1, KVM_CAP_PPC_FWNMI: 1 },
    nestedEnabled: true,
    ramPageSizeKiB: 64,
    mitigations: { cfpc: 'fixed', sbbc: 'fixed', ibs: 'fixed-ccd', 'ccf-assist': 'off' },
    decrBits: 56,
  },
});

/**
 * `count` valid commands over a fleet of `hosts` L0 hosts: snapshots first, then boots, migrations, reboots,
 * stops and re-snapshots in the proportions of a busy fleet; one second apart so every time check passes.
 */
export const syntheticFleetCommands = (count: number, hosts: number, seed = 42): CommandDocument[] => {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const at = () => new Date((clock += 1000)).toISOString();
  const hostIds = Array.from({ length: hosts }, (_, i) => `p9-${String(i).padStart(5, '0')}`);
  const running: string[] = [];
  const stopped: string[] = [];
  const where = new Map<string, string>();
  const out: CommandDocument[] = hostIds.map((h, i) => ({ type: 'RecordHostSnapshot', document: hostSnapshot(h, at(), i % 3 ? 'POWER9' : 'POWER10') }));
  let nextGuest = 0;
  while (out.length < count) {
    const r = random();
    if (r < 0.35 || running.length < 10) {
      const guestId = stopped.length > 0 && random() < 0.3 ? stopped.splice(Math.floor(random() * stopped.length), 1)[0] : `vm-${nextGuest++}`;
      const hostId = pick(hostIds);
      where.set(guestId, hostId);
      running.push(guestId);
      out.push({ type: 'RecordGuestBoot', document: { guestId, hostId, at: at(), machine: 'pseries-7.2', cpu: 'host', kernel: { release: '6.1.0-50-powerpc64le', cmdline: 'console=hvc0' } } });
    } else if (r < 0.65) {
      const guestId = pick(running);
      let toHostId = pick(hostIds);
      if (toHostId === where.get(guestId)) toHostId = hostIds[(hostIds.indexOf(toHostId) + 1) % hostIds.length];
      where.set(guestId, toHostId);
      out.push({ type: 'RecordGuestMigration', document: { guestId, toHostId, at: at() } });
    } else if (r < 0.8) {
      out.push({ type: 'RecordGuestReboot', document: { guestId: pick(running), at: at() } });
    } else if (r < 0.9) {
      const guestId = running.splice(Math.floor(random() * running.length), 1)[0];
      stopped.push(guestId);
      out.push({ type: 'RecordGuestStop', document: { guestId, at: at() } });
    } else {
      const hostId = pick(hostIds);
      out.push({ type: 'RecordHostSnapshot', document: hostSnapshot(hostId, at(), 'POWER9') });
    }
  }
  return out;
};
