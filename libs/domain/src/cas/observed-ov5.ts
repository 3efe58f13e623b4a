/**
 * A recorded `observed.ov5` against the model (rules.md MODEL-OV5-MALFORMED, MODEL-DISAGREES, and the two CAS refusals
 * only a recorded vector can show). The observation wins for the stored contract; this explains the difference.
 */
import { Cause, causeOf } from '@spapr/domain/caps/cause';
import { HostFacts, UNNAMED, isKvm, kvmCap } from '@spapr/domain/caps/host-facts';
import { RULE } from '@spapr/domain/rules/rule-ids';
import type { CasContract } from './negotiate';
import { OV5_MMU_BOTH, OV5_XIVE_BOTH, Ov5Reading, Ov5Vector, formatOv5Malformation, hex2, readOv5 } from './ov5';

const SPAPR_DT_OVEC = 'hw/ppc/spapr_ovec.c:spapr_dt_ovec';

type Predicted = Pick<CasContract, 'mmu' | 'gtse' | 'xive' | 'form2' | 'ov5'>;

const reading = (r: Pick<Ov5Reading, 'mmu' | 'gtse' | 'xive' | 'form2'>) => ({ m: r.mmu, g: r.gtse ? 1 : 0, x: r.xive ? 1 : 0, f: r.form2 ? 1 : 0 });

/**
 * What QEMU's CAS does with a request carrying these bits. Linux never asks `OV5_MMU_BOTH` or `OV5_XIVE_BOTH`, and
 * QEMU never writes them into /chosen (its offer lacks them, so the intersection cannot have them): SPEC §2.2 has no
 * input for a guest's own request, and a recorded vector carrying them is the only one that can. Read as the request
 * it must be, `do_client_architecture_support` exits on it (CAS-INVALID-REQUEST).
 */
function invalidRequests(v: Ov5Vector): Cause[] {
  const asks = [
    { feature: OV5_MMU_BOTH, what: 'hash and radix MMU', quote: 'guest requested hash and radix MMU, which is invalid.' },
    { feature: OV5_XIVE_BOTH, what: 'both interrupt modes', quote: 'guest requested an invalid interrupt mode' },
  ];
  return asks
    .filter((a) => v.has(a.feature))
    .map((a) =>
      causeOf(RULE.CAS_INVALID_REQUEST, 'error', a.quote, { what: a.what, b: a.feature.byte, val: hex2(v.byte(a.feature.byte)) }, 'hw/ppc/spapr_hcall.c:do_client_architecture_support'),
    );
}

/**
 * A recorded radix vector on a KVM host without `KVM_CAP_PPC_MMU_RADIX`: QEMU offered no radix there, so radix can only
 * be the guest's own request, which `spapr_check_mmu_mode` refuses (BOOT-RADIX-UNAVAILABLE). Linux's prom_init asks
 * radix only when platform-support byte 24 allows it, and SPEC §2.2's kernel.features cannot describe a kernel without
 * hash, so a recorded request is the one input that shows this refusal. TCG accepts both modes.
 */
function radixUnavailable(observed: Ov5Reading, host: HostFacts): Cause[] {
  if (observed.mmu !== 'radix' || !isKvm(host) || kvmCap(host, 'KVM_CAP_PPC_MMU_RADIX') === 1) return [];
  return [causeOf(RULE.BOOT_RADIX_UNAVAILABLE, 'error', 'Guest requested unavailable MMU mode (radix).', { h: host.hostId ?? UNNAMED, v: 0 }, 'hw/ppc/spapr.c:spapr_check_mmu_mode')];
}

export function compareObservedOv5(observedHex: string, predicted: Predicted | null, host: HostFacts): { readonly observed: Ov5Reading | null; readonly causes: readonly Cause[] } {
  const decoded = Ov5Vector.decodeHex(observedHex);
  if (!decoded.ok) {
    return { observed: null, causes: [causeOf(RULE.MODEL_OV5_MALFORMED, 'warning', `observed ov5 ${observedHex}: ${decoded.reason}`, { hex: observedHex }, SPAPR_DT_OVEC)] };
  }
  const causes: Cause[] = decoded.malformations.map((m) =>
    causeOf(
      RULE.MODEL_OV5_MALFORMED,
      'warning',
      formatOv5Malformation(observedHex, m),
      m.kind === 'length-mismatch' ? { hex: observedHex, b0: hex2(m.lengthByte), n: m.declaredBytes, m: m.actualBytes } : { hex: observedHex, kind: m.kind },
      SPAPR_DT_OVEC,
    ),
  );
  const observed = readOv5(decoded.vector);
  causes.push(...invalidRequests(decoded.vector), ...radixUnavailable(observed, host));
  if (predicted !== null) {
    const o = reading(observed);
    const p = reading(predicted);
    // Any difference, bytes included (rules.md: "decodes differently"; conformance records a boot per case and
    // expects none, so a byte the model does not predict is worth saying).
    if (o.m !== p.m || o.g !== p.g || o.x !== p.x || o.f !== p.f || decoded.vector.toHex() !== predicted.ov5) {
      const pred = `mmu=${p.m}, gtse=${p.g}, xive=${p.x}, form2=${p.f} (${predicted.ov5})`;
      causes.push(
        causeOf(
          RULE.MODEL_DISAGREES,
          'info',
          `observed ov5 ${observedHex} decodes to mmu=${o.m}, gtse=${o.g}, xive=${o.x}, form2=${o.f}; model predicted ${pred}`,
          { obs: observedHex, m1: o.m, g1: o.g, x1: o.x, f1: o.f, pred },
          'domain/cas-ov5.md §1',
        ),
      );
    }
  }
  return { observed, causes };
}
