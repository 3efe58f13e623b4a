/**
 * The spapr cap comparison of a live migration, exactly as QEMU does it.
 *
 * Source side (MIG-CAP-SEND): `spapr_caps_pre_save` copies `eff` into `mig`; the subsection
 * `spapr/cap/<sname>` is sent iff the cap was given on the command line *and* differs from the
 * source's own default (`spapr_cap_<sname>_needed`, the `SPAPR_CAP_MIG_STATE` macro). Exception
 * in 4.1 … 10.1: hpt-max-page-size has `cap_hpt_maxpagesize_migrate_needed` = `!pre_4_1_migration`,
 * so it is always sent for pseries ≥ 4.1 and never for ≤ 4.0 (both gone in 10.2). ail-mode-3 has
 * no subsection before 9.1 (commit 1a7a31aec475).
 *
 * Destination side: a subsection it does not know fails the load (`vmstate_subsection_load`
 * → -ENOENT; MIG-CAP-UNKNOWN-SUBSECTION). Then `spapr_post_load` → `spapr_caps_post_migration`:
 * MIG-CAP-SRC-RECON `srccaps = default_caps_with_cpu(dest machine, dest cpu, dest max-cpu-compat)`,
 * overwritten by every received value that differs from the destination default (`mig` was reset
 * to `def` in `spapr_caps_pre_load`); then for each cap in index order `srccaps > dstcaps` is an
 * error (MIG-CAP-HIGHER) and `<` a warning (MIG-CAP-LOWER); hpt-max-page-size differences carry
 * MIG-HPT-MAXPAGESIZE. No cap-specific exception (not ccf-assist, not ibs).
 *
 * After a completed migration the guest runs with the destination's effective caps; its CAS
 * contract (MMU, GTSE, compat PVR, ov5) is kept (SPEC §2.3).
 */
import { PseriesMachineType, machineAtMost } from '@spapr/domain/machine/machine-types';
import { RULE } from '@spapr/domain/rules/rule-ids';
import { Cause } from './cause';
import { QemuVersion, qemuAtLeast } from './qemu-version';
import { SpaprCapInfo, SpaprCapLevels, SpaprCapName, capsOf, hasSubsection, levelName } from './spapr-caps';

/** One end of a migration: the three cap copies QEMU keeps plus what decides the stream. */
export interface CapMigrationEnd {
  readonly qemu: QemuVersion;
  readonly machine: PseriesMachineType;
  /** `spapr->def`. */
  readonly defaults: SpaprCapLevels;
  /** `spapr->eff`. */
  readonly effective: SpaprCapLevels;
  /** Caps given on the command line (`cmd_line_caps[i]`), with their values. */
  readonly commandLine: SpaprCapLevels;
}

/** Build a migration end from a resolved guest configuration (`caps/guest-caps.ts`). */
export function migrationEnd(config: {
  readonly qemu: QemuVersion;
  readonly machine: { readonly type: PseriesMachineType };
  readonly defaults: { readonly caps: SpaprCapLevels };
  readonly effectiveCaps: SpaprCapLevels;
  readonly commandLineCaps: SpaprCapLevels;
}): CapMigrationEnd {
  return {
    qemu: config.qemu,
    machine: config.machine.type,
    defaults: config.defaults.caps,
    effective: config.effectiveCaps,
    commandLine: config.commandLineCaps,
  };
}

export interface SentCap {
  readonly cap: SpaprCapName;
  readonly subsection: string;
  readonly level: number;
  /** Why it travels: command line ≠ default, or the hpt-max-page-size hook. */
  readonly reason: 'cmdline-differs-from-default' | 'hpt-max-page-size-always-sent';
}

export interface CapMigrationResult {
  /** The subsections the source sends (MIG-CAP-SEND). */
  readonly sent: readonly SentCap[];
  /** `srccaps` as the destination rebuilds them (MIG-CAP-SRC-RECON), for the caps it knows. */
  readonly reconstructedSource: SpaprCapLevels;
  /** Errors, warnings and explanations, in the order QEMU meets them. */
  readonly causes: readonly Cause[];
  /** What the guest runs with after a completed migration: the destination's `eff`. */
  readonly capsAfterMigration: SpaprCapLevels;
}

/** `spapr_cap_<sname>_needed`: which subsections the source puts in the stream. */
export function capsSentInStream(source: CapMigrationEnd): SentCap[] {
  const sent: SentCap[] = [];
  for (const info of capsOf(source.qemu)) {
    if (!hasSubsection(info, source.qemu)) continue;
    const eff = source.effective[info.name];
    if (eff === undefined) continue;
    if (info.name === 'hpt-max-page-size' && hptMigrateNeededHook(source.qemu)) {
      // cap_hpt_maxpagesize_migrate_needed: !pre_4_1_migration, whatever the command line.
      if (!machineAtMost(source.machine, '4.0')) {
        sent.push({ cap: info.name, subsection: info.subsection.name, level: eff, reason: 'hpt-max-page-size-always-sent' });
      }
      continue;
    }
    const onCommandLine = source.commandLine[info.name] !== undefined;
    if (onCommandLine && eff !== source.defaults[info.name]) {
      sent.push({ cap: info.name, subsection: info.subsection.name, level: eff, reason: 'cmdline-differs-from-default' });
    }
  }
  return sent;
}

/** The hook exists from 4.1 (with `pre_4_1_migration`) until 10.2 removed pseries ≤ 4.0 and it. */
function hptMigrateNeededHook(qemu: QemuVersion): boolean {
  return qemuAtLeast(qemu, '4.1') && !qemuAtLeast(qemu, '10.2');
}

/** `spapr_caps_post_migration` and the subsection lookup before it. */
export function compareCapsForMigration(source: CapMigrationEnd, destination: CapMigrationEnd): CapMigrationResult {
  const causes: Cause[] = [];
  const sent = capsSentInStream(source);
  const destCaps = capsOf(destination.qemu);
  const known = (name: SpaprCapName): SpaprCapInfo | undefined => destCaps.find((c) => c.name === name && hasSubsection(c, destination.qemu));

  causes.push({
    ruleId: RULE.MIG_CAP_SEND,
    severity: 'info',
    cap: null,
    message: sent.length === 0 ? 'no cap subsection in the stream' : `stream carries ${sent.map((s) => `${s.subsection}=${s.level}`).join(', ')}`,
    hint: null,
    values: { sent: sent.map((s) => s.cap).join(',') },
    source: 'hw/ppc/spapr_caps.c:SPAPR_CAP_MIG_STATE',
  });

  // vmstate_subsection_load: an unknown subsection name fails the whole 'spapr' section.
  for (const s of sent) {
    if (!known(s.cap)) {
      causes.push({
        ruleId: RULE.MIG_CAP_UNKNOWN_SUBSECTION,
        severity: 'error',
        cap: s.cap,
        message: "error while loading state for instance 0x0 of device 'spapr'",
        hint: null,
        values: {
          subsection: s.subsection,
          level: s.level,
          sourceQemu: `${source.qemu.major}.${source.qemu.minor}`,
          destinationQemu: `${destination.qemu.major}.${destination.qemu.minor}`,
        },
        source: 'migration/vmstate.c:vmstate_subsection_load',
      });
    }
  }

  // spapr_caps_post_migration: srccaps from the destination's defaults plus what arrived.
  const reconstructed: Partial<Record<SpaprCapName, number>> = {};
  for (const info of destCaps) {
    const destDefault = destination.defaults[info.name] ?? 0;
    const arrived = sent.find((s) => s.cap === info.name && known(s.cap));
    reconstructed[info.name] = arrived !== undefined && arrived.level !== destDefault ? arrived.level : destDefault;
    const ran = source.effective[info.name];
    if (arrived === undefined && ran !== undefined && ran !== reconstructed[info.name]) {
      causes.push({
        ruleId: RULE.MIG_CAP_SRC_RECON,
        severity: 'info',
        cap: info.name,
        message: `cap-${info.name} not in the stream: destination assumes its default ${reconstructed[info.name]} although the source ran ${ran}`,
        hint: null,
        values: { sourceEffective: ran, assumed: reconstructed[info.name] ?? null },
        source: 'hw/ppc/spapr_caps.c:spapr_caps_post_migration',
      });
    }
  }
  for (const info of destCaps) {
    const src = reconstructed[info.name] ?? 0;
    const dst = destination.effective[info.name] ?? 0;
    if (src === dst) continue;
    const higher = src > dst;
    // Real QEMU (conformance M14/M15) prints the generic higher/lower message for hpt-max-page-size too: the
    // comparison is MIG-CAP-HIGHER/LOWER; MIG-HPT-MAXPAGESIZE (why the value arrived at all) is explained as info.
    if (info.name === 'hpt-max-page-size') {
      causes.push({
        ruleId: RULE.MIG_HPT_MAXPAGESIZE,
        severity: 'info',
        cap: info.name,
        message: `cap-hpt-max-page-size is always in the stream for pseries ≥ 4.1 (until QEMU 10.2): shift ${src} on the source, ${dst} on the destination`,
        hint: null,
        values: { incoming: src, destination: dst },
        source: 'hw/ppc/spapr_caps.c:cap_hpt_maxpagesize_migrate_needed',
      });
    }
    causes.push({
      ruleId: higher ? RULE.MIG_CAP_HIGHER : RULE.MIG_CAP_LOWER,
      severity: higher ? 'error' : 'warning',
      cap: info.name,
      message: `cap-${info.name} ${higher ? 'higher' : 'lower'} level (${src}) in incoming stream than on destination (${dst})`,
      hint: null,
      values: { incoming: src, destination: dst, incomingName: levelName(info, src), destinationName: levelName(info, dst) },
      source: 'hw/ppc/spapr_caps.c:spapr_caps_post_migration',
    });
  }
  return { sent, reconstructedSource: reconstructed, causes, capsAfterMigration: destination.effective };
}
