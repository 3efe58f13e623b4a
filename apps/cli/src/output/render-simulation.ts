import type { SimulationAnswer } from '@spapr/planner';
import type { Outcome, TraceEvent } from '@spapr/simulation';
import { EXIT } from '../cli-error';
import type { CliResult } from '../cli-result';

const hex = (n: number): string => `0x${n.toString(16)}`;
const bit = (b: boolean): number => (b ? 1 : 0);

/** A hash guest runs no radix workload: its `ok` means nothing the model checks stopped it. */
const runsHash = (answer: SimulationAnswer): boolean => answer.trace.some((r) => r.event.type === 'hash-mmu');

/** What ended the run, in one line (the details stay in --json). */
const outcomeLine = (o: Outcome, hash: boolean): string => {
  switch (o.kind) {
    case 'ok':
      return hash ? 'the guest runs the hash MMU (HPT): start-up, CAS and its HPT went through; the radix workload does not apply' : 'the workload ran to the end: no crash, no stale translation';
    case 'guest-crash':
      return `${o.level} thread ${o.thread} crashed on \`${o.text}\`\n  delivery: ${o.delivery}`;
    case 'guest-panic':
      return `${o.level} kernel panic: ${o.message}`;
    case 'qemu-refused':
    case 'migration-failed':
      return `${o.message} (${o.source})`;
    case 'stale-translation': {
      const s = o.stale;
      return s.cache === 'shadow'
        ? `stale shadow PTE: LPID ${s.lpid} g_raddr ${hex(s.gRaddr)} → ${hex(s.entry.raddr)} survived its invalidation`
        : `stale ${s.cache.toUpperCase()} entry on thread ${s.thread}: LPID ${s.entry.lpid} PID ${s.entry.pid} survived its invalidation (${JSON.stringify(s.entry)})`;
    }
    case 'not-modelled':
      return `not modelled: ${o.reason}`;
    default: {
      const unhandled: never = o;
      throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
    }
  }
};

/** One trace event per line, in the ISA's and Linux's words. */
export const traceLine = (e: TraceEvent): string => {
  switch (e.type) {
    case 'qemu-started':
      return `QEMU started on ${e.host} (${Object.entries(e.caps).map(([k, v]) => `${k}=${v ? 'on' : 'off'}`).join(' ')})`;
    case 'qemu-refused':
      return `QEMU on ${e.host} refused: ${e.message} (${e.source})`;
    case 'cas':
      return `CAS: offered radix=${bit(e.offered.radix)} gtse=${bit(e.offered.gtse)}, platform byte24=${hex(e.platformSupport.byte24)} byte26=${hex(e.platformSupport.byte26)}, asked radix=${bit(e.requested.radix)} gtse=${bit(e.requested.gtse)} → mmu=${e.negotiated.mmu} gtse=${bit(e.negotiated.gtse)}`;
    case 'kernel-flush-method':
      return `kernel flushes with ${e.method}`;
    case 'pate':
      return `${e.level} PATE lpid=${e.lpid} ${e.pate}`;
    case 'lpcr':
      return `${e.level} LPCR lpid=${e.lpid} ${e.lpcr} GTSE=${bit(e.gtse)} (${e.why})`;
    case 'hcall':
      return `${e.level} ${e.name}(${e.args.map(hex).join(', ')}) handled by ${e.handledBy} → rc=${e.rc}`;
    case 'instruction':
      return `${e.level} thread ${e.thread}: ${e.text} → ${e.result}`;
    case 'interrupt':
      return `${e.level} thread ${e.thread}: interrupt ${hex(e.vector)}: ${e.delivery}`;
    case 'map':
      return `map pid=${e.pid} ea=${hex(e.ea)} ${e.pageSize} → g_raddr ${hex(e.gRaddr)}`;
    case 'unmap':
      return `unmap pid=${e.pid} ea=${hex(e.ea)} (${e.unlinkedTables} table page(s) freed)`;
    case 'protect':
      return `protect pid=${e.pid} ea=${hex(e.ea)} read-only`;
    case 'touch':
      return `thread ${e.thread} ${e.access} pid=${e.pid} ea=${hex(e.ea)} → ${e.result}`;
    case 'reclaim':
      return `${e.level} reclaims g_raddr ${hex(e.gRaddr)}`;
    case 'migrated':
      return `migrated to ${e.to}, LPCR ${e.lpcr} restored`;
    case 'hash-mmu':
      return `hash MMU (HPT) on ${e.host}: the guest maps with H_ENTER/H_REMOVE/H_BULK_REMOVE and its hypervisor runs the tlbie, so LPCR[GTSE] and H_RPT_INVALIDATE do not apply; the HPT is not modelled, no radix workload runs`;
    case 'hpt-migrated':
      return `migrated to ${e.to}, HPT loaded (htab_load)`;
    case 'fault-injected':
      return `fault injected: ${e.skipped} ${e.fault === 'pwc-flush' ? 'PWC entr(ies) not flushed' : 'shadow PTE(s) left by L0'}`;
    case 'panic':
      return `${e.level} panic: ${e.message}`;
    default: {
      const unhandled: never = e;
      throw new Error(`unhandled trace event ${JSON.stringify(unhandled)}`);
    }
  }
};

/** Events that explain an outcome wherever they happen: start-up, CAS, LPCR, the move, interrupts, panics. */
const MILESTONES: ReadonlySet<TraceEvent['type']> = new Set(['qemu-started', 'qemu-refused', 'cas', 'kernel-flush-method', 'pate', 'lpcr', 'migrated', 'hash-mmu', 'hpt-migrated', 'interrupt', 'panic', 'fault-injected']);
const isMilestone = (e: TraceEvent): boolean => MILESTONES.has(e.type) || (e.type === 'hcall' && e.name === 'H_REGISTER_PROC_TBL');
/** The last events before the end: what the guest was doing when it stopped. */
const TAIL = 16;

/** Compact: milestones and the tail in full; each run of routine workload events in between as one line. */
const traceLines = (answer: SimulationAnswer): string[] => {
  const lines: string[] = [];
  let elided = 0;
  const flush = () => {
    if (elided > 0) lines.push(`  …      ${elided} workload event(s) (--json has them all)`);
    elided = 0;
  };
  answer.trace.forEach((r, i) => {
    if (isMilestone(r.event) || i >= answer.trace.length - TAIL) {
      flush();
      lines.push(`  #${String(r.step).padStart(4)}  ${traceLine(r.event)}`);
    } else elided++;
  });
  flush();
  return lines;
};

const question = (a: SimulationAnswer): string =>
  a.question.kind === 'boot'
    ? `boot ${a.question.machine} (-cpu ${a.question.cpu}) on ${a.question.hostId}`
    : `migrate ${a.question.guestId} from ${a.question.fromHostId} to ${a.question.toHostId}`;

/** Outcome first, then the trace (UX.md); anything but ok exits 1. */
export const renderSimulation = (answer: SimulationAnswer & { hypothetical: number }): CliResult => {
  const plan = answer.plan;
  const ran = plan ? `, ${answer.steps} of ${plan.workload.steps} workload step(s) on ${plan.guest.vcpus} vCPU(s), seed ${plan.workload.seed}` : ': QEMU stopped before the guest ran';
  return {
    exitCode: answer.outcome.kind === 'ok' ? EXIT.ok : EXIT.findings,
    json: answer,
    human: [
      `${answer.outcome.kind === 'ok' ? '✓' : '✗'} ${answer.outcome.kind}  ${question(answer)}: ${outcomeLine(answer.outcome, runsHash(answer))}`,
      ...answer.notes.map((n) => `  note: ${n}`),
      `trace: ${answer.trace.length} event(s)${ran}`,
      ...traceLines(answer),
      `computed at event #${answer.position}${answer.hypothetical ? ` with ${answer.hypothetical} hypothetical event(s) (what-if, nothing recorded)` : ''}`,
    ].join('\n'),
  };
};
