import { MigrationOverrides, parseGuestSpec } from '@spapr/domain';
import { CheckBoot, CheckMigration, CheckNesting, QueryScope, Scoped } from '@spapr/planner';
import { BadInputError } from '../cli-error';
import type { CliResult } from '../cli-result';
import type { GlobalOptions } from '../global-options';
import { readJsonDocument } from '../input/read-document';
import { renderAnswer, renderFindings, verdictSymbol } from '../output/render-answer';
import { withPlanner } from '../planner-session';

export const answered = <A>(result: Scoped<A>): A & { hypothetical: number } => {
  if (!result.ok) throw new BadInputError(result.error);
  return result.value;
};

const now = () => new Date().toISOString();

export const checkBootAction = async (global: GlobalOptions, scope: QueryScope, specFile: string, hostId: string): Promise<CliResult> => {
  const spec = parseGuestSpec(readJsonDocument(specFile));
  if (!spec.ok) throw new BadInputError(spec.error, 'guest spec');
  const a = answered(await withPlanner(global.db, (p) => p.queries.execute(new CheckBoot(hostId, spec.value, scope, now()))));
  const contract = a.contract
    ? [`  contract: mmu=${a.contract.mmu} gtse=${a.contract.gtse ? 1 : 0} compat=${a.contract.compatMode ?? 'raw'} machine=${a.contract.machineType} ov5=${a.contract.ov5}`]
    : [`  no contract: the boot stops at ${a.outcome}`];
  return renderAnswer(a, `boot ${spec.value.machine} (-cpu ${spec.value.cpu}) on ${hostId}: ${a.outcome}`, contract);
};

export const checkMigrationAction = async (global: GlobalOptions, scope: QueryScope, o: { guest: string; to: string } & MigrationOverrides): Promise<CliResult> => {
  const overrides = { ...(o.machine ? { machine: o.machine } : {}), ...(o.cpu ? { cpu: o.cpu } : {}) };
  const a = answered(await withPlanner(global.db, (p) => p.queries.execute(new CheckMigration(o.guest, o.to, overrides, scope, now()))));
  return renderAnswer(a, `migrate ${o.guest} from ${a.question.fromHostId} to ${o.to}: ${a.outcome}`);
};

export const checkNestingAction = async (global: GlobalOptions, scope: QueryScope, guestId: string): Promise<CliResult> => {
  const a = answered(await withPlanner(global.db, (p) => p.queries.execute(new CheckNesting(guestId, scope, now()))));
  const l2 = a.l2.flatMap((c) => [`  L2 ${verdictSymbol(c.verdict).padEnd(9)} ${c.name}: -machine ${c.machine}, cmdline "${c.cmdline}" → ${c.outcome}`, ...renderFindings(c.findings.filter((f) => f.severity !== 'info'), '      ')]);
  return renderAnswer(a, `${guestId} as a nested hypervisor on ${a.question.hostId} (L1 facts ${a.l1.source}: ${a.l1.hostId})`, l2);
};
