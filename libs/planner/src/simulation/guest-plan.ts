/**
 * A guest configuration as the simulation runs it on one host, through the domain's shared *readings* of the
 * raw input: QEMU's resolution of `-machine`/`-cpu` and its effective caps (`resolveGuestConfig`), ISA 3.00
 * from the CPU and `max-cpu-compat` (`ppc_type_check_compat(cpu, CPU_POWERPC_LOGICAL_3_00, 0, max_compat)`),
 * the kernel's features from its release (`kernelFeatures`; `kernelAtLeast` for what KVM-HV in it can do)
 * and `prom_init`'s reading of its command line (`parsePromCmdline`, `prom_strtobool` for `disable_radix=`).
 *
 * Why these are input reading, not rule logic: they turn option strings into values (which machine type a
 * bare `pseries` is on that QEMU, what `cap-rpt-invalidate=on` and the type's defaults make of the cap, whether
 * `-cpu`/`max-cpu-compat` allow ISA 3.00), exactly as QEMU's and Linux's parsers do before anything the MMU
 * model decides. Nothing the simulation checks — CAS, the radix panic, LPCR[GTSE], the flush path, the
 * start-up checks of `cap_rpt_invalidate_apply`, the MMU restore — is taken from the rules: those run in
 * libs/simulation. The one place the shared parser decides an outcome is an option QEMU refuses outright
 * (e.g. `cap-rpt-invalidate` on a QEMU without the cap: BOOT-RPTI-QEMU-OLD); the differential counts those
 * cases apart (`refused by the shared option parser`) so they do not count as independent agreement.
 */
import type { GuestSpec, HostFacts } from '@spapr/domain/caps/host-facts';
import type { GuestState } from '@spapr/domain/fleet/guest.state';
import { resolveGuestConfig } from '@spapr/domain/caps/guest-caps';
import { kernelAtLeast, kernelFeatures, parsePromCmdline } from '@spapr/domain/cas/kernel-features';
import { checkCompat, CPU_POWERPC_LOGICAL_3_00 } from '@spapr/domain/machine/compat';
import { err, ok, Result } from '@spapr/domain/result';
import type { GuestPlan } from '@spapr/simulation';

/**
 * SPEC §2.2 records threads per core, not the vCPU count. A uniprocessor guest flushes only locally
 * (`tlbiel`, `mm_is_thread_local`), and the workload leaves out kernel-range flushes, which Linux always
 * makes global (`radix__flush_tlb_kernel_range`); so a guest runs on at least two vCPUs here, as any SMP
 * guest does, or a GTSE mismatch the real guest hits at its first global flush would never show.
 */
export const MIN_VCPUS = 2;

/**
 * The Linux powerpc64le distribution kernels the fleet runs are built with 64K base pages
 * (`CONFIG_PPC_64K_PAGES`); SPEC §2.2 does not record the page size.
 */
const BASE_PAGE_SIZE = '64K';

/** QEMU would not start with the guest's `-machine` / `-cpu` on that host: it exits before the guest runs. */
export interface OptionRefusal {
  readonly host: string;
  readonly message: string;
  readonly source: string;
}

/** The nested API P's QEMU gives its own guests: v2 iff `cap-nested-papr=on` takes effect (QEMU option parsing). */
export const nestedApiOf = (host: HostFacts, spec: GuestSpec): 'v1' | 'v2' => {
  const resolved = resolveGuestConfig(host, spec);
  return resolved.ok && (resolved.config.effectiveCaps['nested-papr'] ?? 0) === 1 ? 'v2' : 'v1';
};

/**
 * What the guest's kernel brings to KVM-HV inside it, from its release: the pseries branch of
 * `kvmppc_core_check_processor_compat_hv` with `kvmhv_nested_init` (4.20) and H_RPT_INVALIDATE (5.14,
 * domain/nested.md §4). An unreadable release brings neither.
 */
const kvmHvOfRelease = (release: string): { readonly nestedHv: boolean; readonly kvmRptInvalidate: boolean } => ({
  nestedHv: kernelAtLeast(release, 4, 20),
  kvmRptInvalidate: kernelAtLeast(release, 5, 14),
});

export const guestPlanOf = (name: string, hostId: string, host: HostFacts, spec: GuestSpec): Result<GuestPlan, OptionRefusal> => {
  const resolved = resolveGuestConfig(host, spec);
  if (!resolved.ok) {
    const message = resolved.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return err({ host: hostId, message, source: `QEMU ${host.qemu.version} -machine/-cpu parsing` });
  }
  const { config } = resolved;
  const features = kernelFeatures(spec.kernel);
  const prom = parsePromCmdline(spec.kernel.cmdline, features.gtseOptional);
  return ok({
    name,
    isa300: checkCompat(config.cpu.facts.pcrSupported, CPU_POWERPC_LOGICAL_3_00, 0, config.machine.maxCpuCompat?.pvr ?? 0, config.qemu),
    capRptInvalidate: (config.effectiveCaps['rpt-invalidate'] ?? 0) === 1,
    capNestedHv: (config.effectiveCaps['nested-hv'] ?? 0) === 1,
    cmdline: { radixHcallInvalidate: prom.radixGtseDisable, disableRadix: prom.disableRadix },
    kernel: { radix: features.radix, gtseOptional: features.gtseOptional, ...kvmHvOfRelease(spec.kernel.release), basePageSize: BASE_PAGE_SIZE },
    vcpus: Math.max(MIN_VCPUS, config.smpThreads),
  });
};

/**
 * A recorded guest as it last booted on `host`: its configuration, and what the real guest was observed to negotiate
 * where its ov5 was recorded (SPEC §2.2). The bytes are decoded by the domain's ov5 reading when the boot is
 * recorded (`readOv5`, input decoding shared with the rules): the simulation takes the MMU and GTSE bits as facts.
 */
export const bootedGuestPlanOf = (guest: GuestState, hostId: string, host: HostFacts): Result<GuestPlan, OptionRefusal> => {
  const plan = guestPlanOf(guest.guestId, hostId, host, guest.configuration);
  const contract = guest.contract;
  return plan.ok && contract?.source === 'observed' ? ok({ ...plan.value, observed: { mmu: contract.mmu, gtse: contract.gtse } }) : plan;
};
