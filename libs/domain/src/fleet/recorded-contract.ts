import { boundedMemo } from '../bounded-memo';
import type { Cause } from '../caps/cause';
import type { GuestSpec } from '../caps/host-facts';
import { BootOutcome, CasContract, CasHost, predictBoot } from '../cas/negotiate';
import { compareObservedOv5 } from '../cas/observed-ov5';
import { deepFreeze } from '../deep-freeze';

/** The contract a guest runs with: what the CAS model predicted, or what the guest was observed to negotiate. */
export type RecordedContract = CasContract & { readonly source: 'predicted' | 'observed' };

/** What recording a boot or reboot adds to the facts: the contract CAS gave it, and how the model saw it. */
export interface BootRecord {
  /** The model's prediction of the whole boot (QEMU start, CAS, kernel). */
  readonly predicted: BootOutcome;
  /** The -machine string with a bare `pseries` resolved to that QEMU's newest type, as QEMU records it. */
  readonly machineResolved: string | null;
  readonly contract: RecordedContract | null;
  /** MODEL-DISAGREES / MODEL-OV5-MALFORMED, and the CAS refusals only a recorded vector shows. */
  readonly notes: readonly Cause[];
}

/** `pseries` (or no type) → `pseries-X.Y`, the rest of the option string kept as written. */
const resolveMachineString = (machine: string, typeName: string): string => {
  const [first, ...rest] = machine.split(',');
  if (first === '' || first.includes('=')) {
    const typed = first.startsWith('type=');
    return [`${typed ? 'type=' : ''}${typeName}`, ...(typed ? rest : [first, ...rest].filter((p) => p !== ''))].join(',');
  }
  return [typeName, ...rest].join(',');
};

const modelBoot = (host: CasHost, spec: GuestSpec, observedOv5: string | undefined): BootRecord => {
  const prediction = predictBoot(host, spec);
  const predicted = prediction.contract;
  const machineResolved = prediction.config ? resolveMachineString(spec.machine, prediction.config.machine.type.name) : null;
  if (observedOv5 === undefined) {
    return { predicted: prediction.outcome, machineResolved, contract: predicted ? { ...predicted, source: 'predicted' } : null, notes: [] };
  }
  const { observed, causes } = compareObservedOv5(observedOv5, predicted, host);
  // The observation wins for the stored contract (rules.md MODEL-DISAGREES); what ov5 cannot show
  // (machine type, compat PVR, caps) comes from the configuration as QEMU resolved it.
  const config = prediction.config;
  const contract: RecordedContract | null =
    observed && config
      ? {
          machineType: config.machine.type.name,
          compatPvr: predicted?.compatPvr ?? 0,
          compatMode: predicted?.compatMode ?? null,
          effectiveCaps: config.effectiveCaps,
          ...(predicted ?? {}),
          mmu: observed.mmu,
          gtse: observed.gtse,
          xive: observed.xive,
          form2: observed.form2,
          ov5: observedOv5.toLowerCase(),
          source: 'observed',
        }
      : predicted
        ? { ...predicted, source: 'predicted' }
        : null;
  return { predicted: prediction.outcome, machineResolved, contract, notes: causes };
};

/**
 * A host's part of the key: a number per distinct set of facts (the facts themselves can be a kilobyte, too long to
 * hash on every boot), found once per host object (a snapshot is never changed, only replaced). Numbers are never
 * reused, so forgetting the table when it grows large only costs a recomputation.
 */
const factIds = new Map<string, number>();
let nextFactId = 0;
const hostIds = new WeakMap<CasHost, number>();
const hostKeyOf = (host: CasHost): number => {
  let id = hostIds.get(host);
  if (id === undefined) {
    const { hostId: _id, observedAt: _at, ...facts } = host as CasHost & { hostId?: string; observedAt?: string };
    const key = JSON.stringify(facts);
    id = factIds.get(key);
    if (id === undefined) {
      if (factIds.size >= 65_536) factIds.clear();
      id = nextFactId++;
      factIds.set(key, id);
    }
    hostIds.set(host, id);
  }
  return id;
};

/**
 * What a boot's CAS gives, from the host as the model reads it (its identity and snapshot time aside). Frozen:
 * every boot of the same configuration on the same class records this one answer.
 */
export const recordBoot = boundedMemo(
  (host: CasHost, spec: GuestSpec, observedOv5: string | undefined) => deepFreeze(modelBoot(host, spec, observedOv5)),
  (host, spec, observedOv5) => `${hostKeyOf(host)}\u0000${JSON.stringify([spec.machine, spec.cpu, spec.smp ?? null, spec.kernel, observedOv5 ?? null])}`,
);
