/**
 * Whether the guest runs on once a migration has completed: its decrementer (the per-vCPU timer every Linux
 * tick and `sleep` rides on) must fire on the destination.
 *
 * KVM keeps DEC in `env->spr[SPR_DECR]` (synchronised from the vCPU), so it travels in the CPU section. TCG
 * keeps it in its own timer (`ppc_tb_t.decr_next`) and, before QEMU 8.2, neither wrote it to the SPR array in
 * `cpu_pre_save` nor re-armed the timer in `cpu_post_load` (target/ppc/machine.c): the destination vCPU has no
 * decrementer interrupt coming. A guest idle in H_CEDE at the switch-over stays halted with MSR[EE]=1 until some
 * other interrupt arrives; seen on Debian's QEMU 7.2.22 in every completed conformance migration (M01…M38:
 * no tick for 5 s, NIP unchanged, DECR long expired). Fixed upstream by "target/ppc: Migrate DECR SPR"
 * (N. Piggin, pulled 2023-09-04 for 8.2: "fixes lost decrementer interrupt on migration that can cause hangs").
 *
 * Only the destination's QEMU matters: an older source sends its never-written SPR_DECR (0), which an 8.2
 * destination loads and re-arms, so the timer fires at once and the guest's next tick is early, not lost.
 */
import { Cause } from '@spapr/domain/caps/cause';
import { HostFacts, UNNAMED } from '@spapr/domain/caps/host-facts';
import { parseQemuVersion, qemuAtLeast } from '@spapr/domain/caps/qemu-version';
import { RULE } from '@spapr/domain/rules/rule-ids';

/** The first QEMU release whose TCG migrates the decrementer. */
export const TCG_DECR_MIGRATED_SINCE = '8.2';

/** The lost timer a TCG destination older than 8.2 gives every migrated guest, or null. */
export function decrementerLostOnLoad(destination: Pick<HostFacts, 'accelerator' | 'hostId' | 'level' | 'qemu'>): Cause | null {
  if (destination.accelerator !== 'tcg') return null;
  const parsed = parseQemuVersion(destination.qemu.version);
  if (parsed.ok && qemuAtLeast(parsed.version, TCG_DECR_MIGRATED_SINCE)) return null;
  return {
    ruleId: RULE.MIG_TCG_DECR_LOST,
    severity: 'error',
    cap: null,
    message: 'the guest stalls on the destination until another interrupt wakes it',
    hint: null,
    values: { h: destination.hostId ?? UNNAMED, n: destination.level, accelerator: 'tcg', qemu: destination.qemu.version, fixedIn: TCG_DECR_MIGRATED_SINCE },
    source: 'target/ppc/machine.c:cpu_pre_save, cpu_post_load (no cpu_ppc_store_decr before QEMU 8.2: "target/ppc: Migrate DECR SPR")',
  };
}
