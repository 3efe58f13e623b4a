/**
 * The scenario runner: boots the guest of a plan (inside the KVM-HV it derives for a `nest` plan's hypervisor
 * guest), runs its seeded workload (migrating half-way for a `migrate` plan), checks the safety property when
 * each invalidation completes (naming the entry it left) and over every cache after every step, and returns the
 * outcome with the trace. A hash guest runs no workload (boot-guest.ts): its run is the boot and, half-way, the
 * migration.
 */
import { assertNever } from '../assert-never';
import { GuestKernel, KernelStep } from '../guest/guest-kernel';
import { GuestHypervisor } from '../hypervisor/guest-hypervisor';
import { NestedHypervisor } from '../hypervisor/nested-hypervisor';
import { FaultInjection } from '../machine/fault-injection';
import { Machine } from '../machine/machine';
import { SafetyMonitor } from '../safety/stale-translation';
import { bootGuest } from './boot-guest';
import { migrateGuest, migrateHashGuest } from './migrate-guest';
import { Outcome } from './outcome';
import { kvmHvInGuest } from './kvm-hv-in-guest';
import { HostPlan, Plan } from './plan';
import { Trace, TraceRecord } from './trace';
import { MappedPage, Workload, WorkloadOp } from './workload';

export interface SimulationOptions {
  /** Test-only: deliberately break an invalidation. */
  readonly faults?: FaultInjection;
  /**
   * Test-only: sees the machine the guest runs on after each workload step, before the safety check reads it
   * (whatever the step's outcome), so a test can judge the caches against the tables on its own.
   */
  readonly afterStep?: (step: number, machine: Machine) => void;
}

export interface ScenarioResult {
  readonly outcome: Outcome;
  readonly trace: readonly TraceRecord[];
  /** Workload steps that ran to completion. */
  readonly steps: number;
  /**
   * Simulated instructions, the one count the benchmark reports too: each load or store the workload touches
   * memory with; each store the guest kernel makes to its page tables (a PTE or PDE written or cleared by a map,
   * unmap or protect); each TLB management instruction executed at any level (`tlbie`, `tlbiel`, `eieio`,
   * `tlbsync`, `ptesync`, the hypervisors' on the guest's behalf included); and each hypercall made at any level,
   * as traced. Not counted: the hardware's table walks (not instructions), the kernel's loads of its own tables
   * while it edits them, and what a hypervisor executes inside an hcall or a fault besides its TLB instructions
   * (KVM writing its partition-scoped and shadow tables).
   */
  readonly instructions: number;
}

interface Running {
  machine: Machine;
  hypervisor: GuestHypervisor;
  readonly kernel: GuestKernel;
  readonly monitor: SafetyMonitor;
  readonly mapped: MappedPage[];
}

function outcomeOf(step: Exclude<KernelStep, { kind: 'ok' }>): Outcome {
  switch (step.kind) {
    case 'crash':
      return { kind: 'guest-crash', ...step.crash };
    case 'panic':
      return { kind: 'guest-panic', level: step.level, message: step.message };
    case 'stale':
      return { kind: 'stale-translation', stale: step.stale };
    default:
      return assertNever(step);
  }
}

function canReclaim(hypervisor: GuestHypervisor): hypervisor is NestedHypervisor {
  return hypervisor instanceof NestedHypervisor && hypervisor.reclaimModelled;
}

function apply(running: Running, op: WorkloadOp): KernelStep {
  const { kernel, mapped } = running;
  switch (op.kind) {
    case 'map': {
      const gRaddr = kernel.map(op.pid, op.ea, op.pageSize, op.writable);
      if (gRaddr !== undefined) mapped.push({ pid: op.pid, ea: op.ea, gRaddr });
      return { kind: 'ok' };
    }
    case 'touch':
      kernel.touch(op.thread, op.pid, op.ea, op.access);
      return { kind: 'ok' };
    case 'unmap': {
      const step = kernel.unmap(op.thread, op.pid, op.ea);
      const index = mapped.findIndex((page) => page.pid === op.pid && page.ea === op.ea);
      if (step.kind === 'ok' && index >= 0) mapped.splice(index, 1);
      return step;
    }
    case 'protect':
      return kernel.protect(op.thread, op.pid, op.ea);
    case 'flush-mm':
      return kernel.flushMm(op.thread, op.pid);
    case 'reclaim': {
      const hypervisor = running.hypervisor;
      const stale = canReclaim(hypervisor) ? hypervisor.reclaim(op.thread, op.gRaddr, running.monitor) : undefined;
      return stale ? { kind: 'stale', stale } : { kind: 'ok' };
    }
    default:
      return assertNever(op);
  }
}

/** A `migrate` plan moves the guest half-way through its workload. */
const migrationStep = (plan: Plan): number => (plan.kind === 'migrate' ? Math.floor(plan.workload.steps / 2) : -1);

/** A hash guest: nothing to run between the boot and the migration. */
function runHashGuest(plan: Plan, trace: Trace): Outcome {
  if (plan.kind !== 'migrate') return { kind: 'ok' };
  trace.step = migrationStep(plan);
  return migrateHashGuest(plan.guest, plan.to, trace);
}

/** The host the plan's guest boots on, or how the run ends before: a `nest` plan's hypervisor guest has no KVM-HV. */
function bootHostOf(plan: Plan, trace: Trace): { readonly kind: 'host'; readonly host: HostPlan } | { readonly kind: 'ended'; readonly outcome: Outcome } {
  switch (plan.kind) {
    case 'boot':
      return { kind: 'host', host: plan.host };
    case 'migrate':
      return { kind: 'host', host: plan.from };
    case 'nest': {
      const kvm = kvmHvInGuest(plan.hypervisor);
      if (kvm.kind === 'host') return kvm;
      if (kvm.kind === 'not-modelled') return { kind: 'ended', outcome: kvm };
      trace.add({ type: 'qemu-refused', host: plan.hypervisor.guest.name, message: kvm.message, source: kvm.source });
      return { kind: 'ended', outcome: { kind: 'qemu-refused', message: kvm.message, source: kvm.source } };
    }
    default:
      return assertNever(plan);
  }
}

export function runScenario(plan: Plan, options: SimulationOptions = {}): ScenarioResult {
  const trace = new Trace();
  const faults = options.faults ?? {};
  const monitor = new SafetyMonitor();
  // The machines a run has used (a migration moves the guest to another): each counts what it executed.
  const machines: Machine[] = [];
  const finish = (outcome: Outcome, steps: number): ScenarioResult => {
    const hcalls = trace.records.filter((r) => r.event.type === 'hcall').length;
    return { outcome, trace: trace.records, steps, instructions: machines.reduce((n, m) => n + m.executed, hcalls) };
  };

  const host = bootHostOf(plan, trace);
  if (host.kind === 'ended') return finish(host.outcome, 0);
  const boot = bootGuest(plan.guest, host.host, trace, monitor, faults);
  if (boot.kind === 'failed') return finish(boot.outcome, 0);
  if (boot.kind === 'booted-hash') return finish(runHashGuest(plan, trace), 0);
  machines.push(boot.machine);
  const running: Running = { machine: boot.machine, hypervisor: boot.hypervisor, kernel: boot.kernel, monitor, mapped: [] };
  const workload = new Workload(plan.workload.seed, plan.guest.vcpus, plan.guest.kernel.basePageSize);
  const migrateAt = migrationStep(plan);

  for (let step = 0; step < plan.workload.steps; step++) {
    trace.step = step;
    if (step === migrateAt && plan.kind === 'migrate') {
      const migration = migrateGuest(plan.guest, plan.to, running.kernel, running.hypervisor, trace, faults);
      if (migration.kind === 'failed') return finish(migration.outcome, step);
      running.machine = migration.machine;
      machines.push(migration.machine);
      running.hypervisor = migration.hypervisor;
    }
    const injectedBefore = running.machine.injectedFaults.length;
    const result = apply(running, workload.next(running.mapped, canReclaim(running.hypervisor)));
    running.machine.injectedFaults.slice(injectedBefore).forEach(({ fault, skipped }) => trace.add({ type: 'fault-injected', fault, skipped }));
    options.afterStep?.(step, running.machine);
    if (result.kind !== 'ok') return finish(outcomeOf(result), step);
    // The whole property after every step: every cached entry is current or still being invalidated.
    const stale = monitor.check(running.machine);
    if (stale) return finish({ kind: 'stale-translation', stale }, step);
  }
  return finish({ kind: 'ok' }, plan.workload.steps);
}
