import { AuditFleet, ListDestinations, QueryScope } from '@spapr/planner';
import { EXIT } from '../cli-error';
import type { CliResult } from '../cli-result';
import type { GlobalOptions } from '../global-options';
import { renderFindings, verdictSymbol } from '../output/render-answer';
import { renderTable } from '../output/table';
import { withPlanner } from '../planner-session';
import { answered } from './check.action';

const now = () => new Date().toISOString();
const hostList = (ids: readonly string[]) => (ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} +${ids.length - 3} more`);

export const destinationsAction = async (global: GlobalOptions, scope: QueryScope, guestId: string): Promise<CliResult> => {
  const a = answered(await withPlanner(global.db, (p) => p.queries.execute(new ListDestinations(guestId, scope, now()))));
  const lines = [
    `${verdictSymbol(a.verdict)}  destinations of ${guestId} (on ${a.question.hostId}): ${a.counts.safe} safe, ${a.counts.warn} warn, ${a.counts.unsafe} unsafe host(s) in ${a.classes.length} capability class(es)`,
    ...a.classes.flatMap((c) => [`  ${verdictSymbol(c.verdict).padEnd(9)} ${c.classId} (${c.hostIds.length} host(s): ${hostList(c.hostIds)}) → ${c.outcome}`, ...renderFindings(c.findings.filter((f) => f.severity !== 'info'), '      ')]),
    `computed at event #${a.position}${a.hypothetical ? ` with ${a.hypothetical} hypothetical event(s)` : ''}`,
  ];
  return { exitCode: a.verdict === 'unsafe' ? EXIT.findings : EXIT.ok, json: a, human: lines.join('\n') };
};

export const auditAction = async (global: GlobalOptions, scope: QueryScope): Promise<CliResult> => {
  const a = answered(await withPlanner(global.db, (p) => p.queries.execute(new AuditFleet(scope, now(), global.actor))));
  const errors = a.findings.filter((f) => f.severity === 'error');
  const warnings = a.findings.filter((f) => f.severity === 'warning');
  const lines = [
    `${verdictSymbol(a.verdict)}  audit of ${a.guests} running guest(s) on ${a.hosts} host(s) in ${a.classes} capability class(es): ${errors.length} error(s), ${warnings.length} warning(s), ${a.stranded.length} stranded`,
    ...(a.findings.length
      ? ['', renderTable(['SEVERITY', 'RULE', 'GUEST', 'HOST', 'MESSAGE'], a.findings.map((f) => [f.severity, f.ruleId, f.guestId, f.hostId, f.message.length > 100 ? `${f.message.slice(0, 97)}…` : f.message]))]
      : []),
    ...(a.stranded.length
      ? ['', 'stranded (0 or 1 safe destination):', renderTable(['GUEST', 'HOST', 'SAFE', 'WARN'], a.stranded.map((s) => [s.guestId, s.hostId, String(s.safeDestinations), String(s.warnDestinations)]))]
      : []),
    '',
    `computed at event #${a.position}${a.recordedAt ? `; recorded AuditCompleted at #${a.recordedAt}` : ''}${a.hypothetical ? ` with ${a.hypothetical} hypothetical event(s)` : ''}`,
  ];
  return { exitCode: errors.length ? EXIT.findings : EXIT.ok, json: a, human: lines.join('\n') };
};
