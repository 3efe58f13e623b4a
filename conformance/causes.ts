/**
 * What real QEMU/KVM did in each case, mapped to the rule that names that cause: the planner's answer
 * must carry that rule (with severity `error` when the real outcome failed, `warning` when it went on
 * with a warning). Reviewed against `shared/domain/rules.md` (and, where rules.md has no entry yet, the
 * planner catalogue's additions for causes the harness found: BOOT-IRQ-MODE, MIG-IRQ-BACKEND,
 * BOOT-IBS-FIXED-NA-ABORT, NEST-XIVE-EMULATED, BOOT-LE-VSX-OFF, MIG-TCG-DECR-LOST).
 *
 * Each entry states the real outcome class it was reviewed against and a text of the real run (message,
 * QEMU warning or a per-level detail line) that shows the cause. If a rerun shows another outcome or
 * the text is gone, the comparison fails and says so: the mapping is reviewed again, never guessed.
 * `rule: null` means no rule names the cause; such a case fails until one does.
 */
import { OutcomeKind } from './types';

export interface Cause {
  /** Substring of the real message, a QEMU warning, or a detail line (e.g. `L1: booted hash`). */
  text: string;
  /** The rule that names the cause (rules.md), or null when none does. */
  rule: string | null;
  /** For MIG-DEST-CAP-APPLY: the boot rule whose check the destination failed (`values.quotedRule`). */
  quotes?: string;
  /**
   * Severity the planner must give the rule when it is not the outcome's (compare-planner causeSeverity):
   * a QEMU warning on the way to a failure (a cap-lower warning of a migration whose guest then stalled).
   */
  severity?: 'error' | 'warning';
}

export interface CauseMap {
  /** Real outcome class this mapping was reviewed against. */
  outcome: OutcomeKind;
  /** Causes the real run shows. A failure has exactly one (the decisive one); a success lists its warnings. */
  causes: Cause[];
}

const TCG_WARN: Cause = { text: "TCG doesn't support requested feature", rule: 'BOOT-CAP-TCG-WARN' };
const XIVE: Cause = { text: 'kernel_irqchip allowed but unavailable: IRQ_XIVE capability must be present for KVM', rule: 'NEST-XIVE-EMULATED' };

const booted = (...causes: Cause[]): CauseMap => ({ outcome: 'booted', causes });
const refused = (text: string, rule: string | null, extra: Partial<Cause> = {}): CauseMap => ({ outcome: 'qemu-refused', causes: [{ text, rule, ...extra }] });
const panic = (text: string, rule: string): CauseMap => ({ outcome: 'guest-panic', causes: [{ text, rule }] });
const failed = (text: string, rule: string, extra: Partial<Cause> = {}): CauseMap => ({ outcome: 'migration-failed', causes: [{ text, rule, ...extra }] });
const higher = (cap: string): CauseMap => failed(`cap-${cap} higher level`, 'MIG-CAP-HIGHER');
/**
 * QEMU 7.2 under TCG completes the migration, but the guest, idle in H_CEDE at the switch-over, stays halted
 * on the destination until some interrupt comes: TCG keeps the decrementer in its timer, not in
 * env->spr[SPR_DECR], and 7.2's cpu_pre_save/cpu_post_load neither save it nor re-arm the timer
 * (timebase_load restores only tb_offset); upstream "target/ppc: Migrate DECR SPR" (QEMU 8.2) is not in 7.2.22. An interrupt (a console keystroke)
 * usually revives it. The planner names it MIG-TCG-DECR-LOST (libs/domain/src/cas/decrementer-on-load.ts).
 */
const DECR_LOST: Cause = { text: 'its decrementer interrupt was lost in the migration', rule: 'MIG-TCG-DECR-LOST' };
const warned = (...warnings: Cause[]): CauseMap => ({ outcome: 'migration-completed-with-warning', causes: warnings });
const stalled = (...warnings: Cause[]): CauseMap => ({ outcome: 'migration-completed-guest-stalled', causes: [DECR_LOST, ...warnings] });
const stalledLower = (cap: string): CauseMap => stalled({ text: `cap-${cap} lower level`, rule: 'MIG-CAP-LOWER', severity: 'warning' });

const GTSE_PANIC = 'BUG: Radix support requires either GTSE or RPT_INVALIDATE';
const NO_NESTING = 'Parent hypervisor does not support nesting (rc=-2)';
const NESTED_HPT = 'HPT not supported in nested guests';

export const CAUSES: Record<string, CauseMap> = {
  // ---- boots on the TCG L0 -------------------------------------------------------------------
  'B01-p9-default': booted(TCG_WARN),
  'B02-p9-disable-radix': booted(TCG_WARN),
  'B03-p8-default': booted(TCG_WARN),
  'B04-p8-hcall-inval': booted(TCG_WARN),
  'B05-p9-hcall-inval': panic(GTSE_PANIC, 'BOOT-NO-GTSE-NO-RPTI'),
  'B06-p9-rpti-tcg': refused('No H_RPT_INVALIDATE support in TCG', 'BOOT-RPTI-TCG'),
  'B07-p9-rpti-tcg-hcall-inval': refused('No H_RPT_INVALIDATE support in TCG', 'BOOT-RPTI-TCG'),
  'B08-p10-default': booted(TCG_WARN),
  'B09-p9-pseries-6.0': booted(TCG_WARN),
  'B10-p9-pseries-6.1': booted(TCG_WARN),
  'B11-p9-pseries-6.2': booted(TCG_WARN),
  'B12-p9-pseries-4.0': booted(TCG_WARN),
  'B13-p9-pseries-3.1': booted(),
  'B14-p9-pseries-2.12': booted(),
  // rules.md: htm=1 under TCG is BOOT-CAP-UNSUPPORTED-TCG (pseries ≤ 2.11 defaults htm on: DEF-CAPS-MACHINE).
  'B15-p9-pseries-2.11': refused('No Transactional Memory support in TCG', 'BOOT-CAP-UNSUPPORTED-TCG'),
  'B16-p8-pseries-2.3': booted(),
  'B17-p9-htm-on': refused('No Transactional Memory support in TCG', 'BOOT-CAP-UNSUPPORTED-TCG'),
  // Precedence: every "Nested-HV only supported on POWER9 and later" is NEST-POWER8.
  'B18-p8-nested-hv': refused('Nested-HV only supported on POWER9 and later', 'NEST-POWER8'),
  'B19-p9-nested-hv': booted(TCG_WARN),
  'B20-p8-large-decr': refused('Large decrementer only supported on POWER9', 'BOOT-CAP-UNSUPPORTED-TCG'),
  'B21-p9-compat-p8': booted(TCG_WARN),
  'B22-p10-compat-p9': booted(TCG_WARN),
  'B23-p9-compat-p10': refused('Compatibility PVR 0x0f000006 not valid for CPU', 'BOOT-COMPAT-PVR'),
  'B24-p9-compat-upper': refused('Invalid compatibility mode "POWER9"', 'CAP-VALUE-PARSE'),
  // rules.md BOOT-CPU-COMPAT-PROP: `-cpu X,compat=…` was removed in 6.0 (property not found).
  'B25-p9-cpu-compat-prop': refused("Property 'power9_v2.0-powerpc64-cpu.compat' not found", 'BOOT-CPU-COMPAT-PROP'),
  'B26-p9-smt2': refused('TCG cannot support more than 1 thread/core on a pseries machine', 'BOOT-TCG-THREADS'),
  'B27-p9-hpt-4k': booted(TCG_WARN, { text: 'Many guests require at least 64kiB hpt-max-page-size', rule: 'BOOT-HPT-PAGESIZE' }),
  'B28-p9-caps-broken': booted(),
  'B29-p9-ic-xics': booted(TCG_WARN),
  'B30-p9-pseries-2.12-sxxm': booted(TCG_WARN),
  'B31-970fx': refused('Unable to find sPAPR CPU Core definition', 'BOOT-CPU-MODEL'),
  // Not in rules.md; the planner catalogue adds BOOT-IRQ-MODE (spapr_irq_check).
  'B33-p8-ic-xive': refused('XIVE-only machines require a POWER9 CPU', 'BOOT-IRQ-MODE'),
  // rules.md MIG-MACHINE-EXISTS (ops migration, boot): the versioned type must exist in the binary.
  'B34-p9-pseries-8.0': refused('unsupported machine type', 'MIG-MACHINE-EXISTS'),
  // QEMU aborts at the guest's H_GET_CPU_CHARACTERISTICS: a crash, not a warning.
  'B35-p9-ibs-fixed-na': { outcome: 'qemu-crashed', causes: [{ text: "h_get_cpu_characteristics: Assertion `safe_indirect_branch == SPAPR_CAP_BROKEN' failed", rule: 'BOOT-IBS-FIXED-NA-ABORT' }] },
  'B32-p9-compat-p8-hcall-inval': booted(TCG_WARN),
  // QEMU writes ibm,vmx=1 without VSX; the little-endian init dies of SIGILL at its first VSX instruction (trap 0xf40).
  'B36-p9-vsx-off': panic('Attempted to kill init! exitcode=0x00000004', 'BOOT-LE-VSX-OFF'),

  // ---- migrations between two TCG L0 QEMUs -----------------------------------------------------
  'M01-same': stalled(),
  'M02-mt-7.2-to-7.1': failed("Machine type received is 'pseries-7.2' and local is 'pseries-7.1'", 'MIG-MACHINE-TYPE'),
  'M03-mt-7.1-to-7.2': failed("Machine type received is 'pseries-7.1' and local is 'pseries-7.2'", 'MIG-MACHINE-TYPE'),
  'M04-alias': stalled(),
  // MIG-LARGE-DECR is reported "via MIG-CAP-HIGHER/LOWER" (rules.md).
  'M05-large-decr-on-off': higher('large-decr'),
  'M06-large-decr-off-on': stalledLower('large-decr'),
  'M07-nested-on-off': higher('nested-hv'),
  'M08-nested-off-on': stalledLower('nested-hv'),
  'M09-p10-to-p9': failed('Compatibility PVR 0x0f000006 not valid for CPU', 'MIG-COMPAT-PVR'),
  'M10-p10c9-to-p9': stalled(),
  'M11-p9-to-p10': stalled(),
  'M12-p8-to-p9': stalled(),
  // The POWER8 destination has no XIVE: the stream fails on the xive-source section before any CPU state.
  'M13-p9-to-p8': failed("Unknown savevm section or instance 'xive-source' 0", 'MIG-IRQ-BACKEND'),
  'M14-hpt-16-to-24': stalledLower('hpt-max-page-size'),
  'M15-hpt-24-to-16': higher('hpt-max-page-size'),
  'M16-cfpc-to-broken': higher('cfpc'),
  'M17-ibs-ccd-to-default': higher('ibs'),
  'M18-ccf-off-to-on': stalledLower('ccf-assist'),
  'M19-p40-hpt-not-sent': stalled(),
  'M20-hash-guest': stalled(),
  // max-cpu-compat=power8 on the destination turns dual into XICS-only (spapr_irq_check).
  'M21-p9-to-compat-p8': failed("Unknown savevm section or instance 'xive-source' 0", 'MIG-IRQ-BACKEND'),
  'M22-p9c8-to-p8': stalled(),
  'M23-p9-to-p8-xics': failed('Compatibility PVR 0x0f000005 not valid for CPU', 'MIG-COMPAT-PVR'),
  'M29-vsx-to-off': higher('vsx'),
  'M30-dfp-off-to-on': stalledLower('dfp'),
  'M31-sbbc-fixed-to-default': higher('sbbc'),
  'M32-fwnmi-to-off': higher('fwnmi'),
  'M33-cfpc-broken-to-default': stalledLower('cfpc'),
  'M34-dfp-to-off': higher('dfp'),
  'M35-sbbc-default-to-fixed': stalledLower('sbbc'),
  'M36-ibs-default-to-ccd': stalledLower('ibs'),
  // rules.md MIG-CCF-ASSIST-EXCEPTION: the host-ibs exception is in the boot check only, not the stream.
  'M37-ccf-to-off': higher('ccf-assist'),
  'M38-fwnmi-off-to-on': stalledLower('fwnmi'),
  // Destination startup runs the boot cap checks again: MIG-DEST-CAP-APPLY quoting the boot rule.
  'M24-dst-rpti-tcg': failed('destination refused to start: No H_RPT_INVALIDATE support in TCG', 'MIG-DEST-CAP-APPLY', { quotes: 'BOOT-RPTI-TCG' }),
  'M25-dst-pseries-8.0': failed('destination refused to start: unsupported machine type', 'MIG-MACHINE-EXISTS'),
  'M26-p23-to-p24': failed('Configuration section missing', 'MIG-CONFIG-SECTION'),
  // machine-types.md §2 item 3: the configuration section fails "if only one side expects it";
  // here the source sends it and the pseries-2.3 destination does not know section type 7.
  'M27-p24-to-p23': failed('Unknown savevm section type 7', 'MIG-CONFIG-SECTION'),
  'M28-p23-same': stalled(),

  // ---- nested KVM-HV under a TCG L0 ----------------------------------------------------------
  'N01-l2-default': booted(XIVE),
  'N02-l1-no-nested': refused(NO_NESTING, 'NEST-PARENT-NO-NESTED-HV'),
  // kvm_hv does not load in a hash L1 (insmod: No such device).
  'N03-l1-hash': refused('L1: booted hash', 'NEST-L1-HASH'),
  'N04-l1-compat-p8': refused('L1: booted hash', 'NEST-L1-HASH'),
  'N05-l2-disable-radix': booted(XIVE, { text: 'WARNING: Ignoring cmdline option disable_radix', rule: 'BOOT-DISABLE-RADIX-IGNORED' }),
  'N06-l2-compat-p8': refused(NESTED_HPT, 'NEST-HPT-UNSUPPORTED'),
  // -cpu POWER8 (a model, not host) under kvm-hv: the vCPU registers cannot be set.
  'N07-l2-cpu-p8': refused('If you\'re using kvm-hv.ko, only "-cpu host" is possible', 'BOOT-CPU-MODEL'),
  'N08-l2-gtse-off-no-rpti': panic(GTSE_PANIC, 'BOOT-NO-GTSE-NO-RPTI'),
  'N09-l2-gtse-off-rpti': booted(XIVE),
  'N10-l2-rpti-gtse-on': booted(XIVE),
  'N11-l1-gtse-off': panic(GTSE_PANIC, 'BOOT-NO-GTSE-NO-RPTI'),
  'N12-l1-spectre-broken': refused('Requested safe cache capability level not supported by KVM', 'BOOT-CAP-SPECTRE-KVM'),
  'N13-l2-cfpc-fixed': refused('Requested safe cache capability level not supported by KVM', 'BOOT-CAP-SPECTRE-KVM'),
  'N14-l2-htm': refused('KVM implementation does not support Transactional Memory', 'BOOT-CAP-UNSUPPORTED-KVM'),
  'N15-l1-large-decr-off': refused('No large decrementer support', 'BOOT-CAP-UNSUPPORTED-KVM'),
  'N16-l2-nested-hv': booted(XIVE),
  'N17-three-levels': booted(XIVE),
  'N18-three-levels-l2-no-nested': refused(NO_NESTING, 'NEST-PARENT-NO-NESTED-HV'),
  'N19-l2-cpu-p9': booted(XIVE),
  'N20-three-levels-hash-l3': refused(NESTED_HPT, 'NEST-HPT-UNSUPPORTED'),
  'N21-l1-power10': booted(XIVE),
  'N22-l2-hpt-16m': refused("Can't support 16384 kiB guest pages with 64 kiB host pages with this KVM implementation", 'BOOT-HPT-PAGESIZE'),
  'N23-l2-gtse-off-rpti-stress': booted(XIVE),
  'N24-l2-gtse-on-stress': booted(XIVE),
  'N25-l1-ibs-fixed-ibs': refused('Requested count cache flush assist capability level not supported by KVM', 'BOOT-CCF-ASSIST-KVM'),

  // ---- live migrations under KVM-HV inside an L1: the guest ticks on (KVM migrates DEC) ---------
  // The destination QEMU activates the guest's XIVE at load and falls back to emulating it, as at a nested boot.
  'N26-l2-migrate-same': warned(XIVE),
  'N27-l2-migrate-dfp-off-on': warned({ text: 'cap-dfp lower level (0) in incoming stream than on destination (1)', rule: 'MIG-CAP-LOWER' }, XIVE),
  'N28-l2-migrate-large-decr-on-off': higher('large-decr'),
  'N29-l2-migrate-gtse-off': warned(XIVE),
};
