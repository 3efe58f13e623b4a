/**
 * What the guest's userspace needs of the ISA that QEMU advertises: the last step of a boot, when init runs.
 *
 * With cap-vsx=0 (`-machine cap-vsx=off`, or the default lowered below ISA 2.06 by DEF-CAPS-CPU) QEMU writes
 * `ibm,vmx = 1` instead of 2 in every CPU node (hw/ppc/spapr.c:spapr_dt_cpu), so Linux never sets CPU_FTR_VSX
 * (arch/powerpc/kernel/prom.c:feature_properties wants `ibm,vmx` ≥ 2) and never enables MSR[VSX] for a process.
 * A little-endian userspace is built for the ELFv2 LE baseline (POWER8, ISA 2.07, VSX included): its first VSX
 * instruction takes the VSX-unavailable interrupt (0xf40), the kernel sends SIGILL
 * (arch/powerpc/kernel/traps.c:vsx_unavailable_exception), init dies and the kernel panics. Seen on QEMU 7.2
 * TCG with Debian's 6.1 ppc64el kernel and busybox (conformance B36: trap 0f40, exitcode 4 = SIGILL). Under KVM
 * the guest reads the same device tree and takes the same path (not run).
 *
 * The endianness is read from the kernel release (Debian `-powerpc64le`, RHEL/Fedora `.ppc64le`). A release that
 * does not name it is not judged: a big-endian userspace built without VSX runs with cap-vsx=off.
 */
import { Cause } from '@spapr/domain/caps/cause';
import { SPAPR_CAP_OFF, SpaprCapLevels } from '@spapr/domain/caps/spapr-caps';
import { RULE } from '@spapr/domain/rules/rule-ids';

/** Does the kernel release name a little-endian ppc64 build? */
export function littleEndianRelease(release: string): boolean {
  return /(?:powerpc64le|ppc64le|ppc64el)$/.test(release);
}

/** The panic a little-endian guest's init meets without VSX, or null. */
export function userspaceWithoutVsx(release: string, caps: SpaprCapLevels): Cause | null {
  if (caps.vsx !== SPAPR_CAP_OFF || !littleEndianRelease(release)) return null;
  return {
    ruleId: RULE.BOOT_LE_VSX_OFF,
    severity: 'error',
    cap: 'vsx',
    message: 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000004',
    hint: null,
    values: { 'cap-vsx': 'off', release },
    source: 'hw/ppc/spapr.c:spapr_dt_cpu (ibm,vmx); arch/powerpc/kernel/prom.c:feature_properties, traps.c:vsx_unavailable_exception',
  };
}
