import { Cause, causeOf } from '@spapr/domain/caps/cause';
import { GuestConfig } from '@spapr/domain/caps/guest-caps';
import { RULE } from '@spapr/domain/rules/rule-ids';
import { OV5_FORM2_AFFINITY, Ov5Vector, hex2 } from './ov5';

/**
 * FORM2 NUMA affinity at CAS: offered only for pseries ≥ 6.2 (`pre_6_2_numa_affinity` on ≤ 6.1). rules.md states it
 * twice, as INFO-FORM2-AFFINITY (§A, the machine fact) and CAS-FORM2-MACHINE (§B, the byte 5 it predicts); both explain.
 */
export function form2Causes(config: Pick<GuestConfig, 'machine'>, offer: Ov5Vector, negotiated: Ov5Vector): Cause[] {
  const mt = config.machine.type.name;
  const offered = offer.has(OV5_FORM2_AFFINITY);
  const b5 = hex2(negotiated.byte(5));
  const source = 'hw/ppc/spapr.c:spapr_machine_init, spapr_machine_6_1_class_options';
  return [
    causeOf(RULE.INFO_FORM2_AFFINITY, 'info', `OV5 FORM2 affinity is offered only for pseries ≥ 6.2: ${mt} ${offered ? 'offers' : 'does not offer'} it`, { machine: mt, form2Offered: offered }, source),
    causeOf(RULE.CAS_FORM2_MACHINE, 'info', `ov5 byte5 0x${b5}`, { mt, form2: offered ? 'offers' : 'does not offer', b5 }, source),
  ];
}
