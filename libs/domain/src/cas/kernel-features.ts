/**
 * What a Linux guest kernel brings to CAS (SPEC §2.2 `kernel.features`, defaults from
 * `kernel.release`) and what its command line changes in `prom_init` (arch/powerpc/kernel/prom_init.c).
 */

export interface KernelRelease {
  readonly major: number;
  readonly minor: number;
}

/** `6.1.0-50-powerpc64le` → 6.1; null when the release does not start with major.minor. */
export function parseKernelRelease(release: string): KernelRelease | null {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

function atLeast(r: KernelRelease, major: number, minor: number): boolean {
  return r.major > major || (r.major === major && r.minor >= minor);
}

/** Is `release` at least Linux major.minor? A release that does not say is not. */
export function kernelAtLeast(release: string, major: number, minor: number): boolean {
  const r = parseKernelRelease(release);
  return r !== null && atLeast(r, major, minor);
}

/** The Linux 6.1 CAS list of logical PVRs (`ibm_architecture_vec_template.pvrs`: 2.04-and-earlier … 3.1). */
export const LINUX_6_1_LOGICAL_PVRS: readonly number[] = Object.freeze([0x0f000001, 0x0f000002, 0x0f000003, 0x0f000004, 0x0f000005, 0x0f000006]);

export type FeatureSource = 'given' | 'release' | 'assumed';

export interface KernelFeatures {
  /** Radix MMU built in (`CONFIG_PPC_RADIX_MMU`): ≥ 4.11. */
  readonly radix: boolean;
  /** GTSE=0 support (Aneesh Kumar's series, v5.9): asks radix without GTSE, parses `radix_hcall_invalidate=on`, has the panic. */
  readonly gtseOptional: boolean;
  /** Logical PVRs listed at CAS; null = unknown (then `CAS-PVR-NEGOTIATION` stays silent). */
  readonly logicalPvrs: readonly number[] | null;
  /** FORM2 NUMA affinity asked in ov5 byte 5 (the 2021 FORM2 series, ~v5.15; derived). */
  readonly form2: boolean;
  readonly sources: { readonly radix: FeatureSource; readonly gtseOptional: FeatureSource; readonly logicalPvrs: FeatureSource };
}

export interface KernelFeatureInput {
  readonly release: string;
  readonly features?: {
    readonly radix?: boolean;
    readonly gtseOptional?: boolean;
    readonly logicalPvrs?: readonly string[];
  };
}

/**
 * SPEC §2.2: given features win; otherwise from the release. An unparsable release is taken as
 * a modern kernel (radix, GTSE-optional) with an unknown PVR list, and says so in `sources`.
 */
export function kernelFeatures(kernel: KernelFeatureInput): KernelFeatures {
  const r = parseKernelRelease(kernel.release);
  const given = kernel.features;
  const radix = given?.radix ?? (r ? atLeast(r, 4, 11) : true);
  const gtseOptional = given?.gtseOptional ?? (r ? atLeast(r, 5, 9) : true);
  let logicalPvrs: readonly number[] | null = null;
  let pvrSource: FeatureSource = 'assumed';
  if (given?.logicalPvrs !== undefined) {
    logicalPvrs = given.logicalPvrs.map((p) => parseInt(p, 16));
    pvrSource = 'given';
  } else if (r && r.major === 6 && r.minor === 1) {
    logicalPvrs = LINUX_6_1_LOGICAL_PVRS;
    pvrSource = 'release';
  }
  return {
    radix,
    gtseOptional,
    logicalPvrs,
    form2: r ? atLeast(r, 5, 15) : true,
    sources: {
      radix: given?.radix !== undefined ? 'given' : r ? 'release' : 'assumed',
      gtseOptional: given?.gtseOptional !== undefined ? 'given' : r ? 'release' : 'assumed',
      logicalPvrs: pvrSource,
    },
  };
}

/**
 * `prom_strtobool` (prom_init.c): y/Y/1 → true, n/N/0 → false, o/O followed by n/N → true,
 * followed by f/F → false; anything else is an error (-EINVAL).
 */
export function promStrtobool(s: string): boolean | null {
  switch (s[0]) {
    case 'y':
    case 'Y':
    case '1':
      return true;
    case 'n':
    case 'N':
    case '0':
      return false;
    case 'o':
    case 'O':
      if (s[1] === 'n' || s[1] === 'N') return true;
      if (s[1] === 'f' || s[1] === 'F') return false;
      return null;
    default:
      return null;
  }
}

export interface PromCmdline {
  /** `prom_radix_disable`. */
  readonly disableRadix: boolean;
  /** Whether `disable_radix` appears at all (for the "Ignoring cmdline option" warning). */
  readonly disableRadixPresent: boolean;
  /** `prom_radix_gtse_disable`: the exact substring `radix_hcall_invalidate=on` (GTSE-optional kernels only). */
  readonly radixGtseDisable: boolean;
  /** `prom_xive_disable`: substring `xive=off`. */
  readonly xiveDisable: boolean;
}

/**
 * `early_cmdline_parse` (prom_init.c): plain substring searches (`prom_strstr`), first hit only.
 * `disable_radix` followed by `=` takes `prom_strtobool` of the rest, and an unparsable value
 * leaves radix *enabled* (`prom_radix_disable = false`); followed by anything else (or nothing)
 * it disables radix. The default is `!CONFIG_PPC_RADIX_MMU_DEFAULT`, which SPEC §2.2 folds into
 * the command line.
 */
export function parsePromCmdline(cmdline: string, gtseOptional: boolean): PromCmdline {
  const at = cmdline.indexOf('disable_radix');
  let disableRadix = false;
  if (at >= 0) {
    const rest = cmdline.slice(at + 'disable_radix'.length);
    disableRadix = rest.startsWith('=') ? promStrtobool(rest.slice(1)) ?? false : true;
  }
  return {
    disableRadix,
    disableRadixPresent: at >= 0,
    radixGtseDisable: gtseOptional && cmdline.includes('radix_hcall_invalidate=on'),
    xiveDisable: cmdline.includes('xive=off'),
  };
}
