/**
 * @spapr/simulation — an executable model of the POWER radix MMU (partition/process tables, radix walks,
 * TLB and page-walk cache, `tlbie`/`tlbiel`, H_RPT_INVALIDATE, H_REGISTER_PROC_TBL, CAS, nested KVM-HV,
 * live migration) with a stale-translation safety check, independent of the rules engine. Hash (HPT) guests are
 * followed through QEMU's start-up checks, CAS and where their HPT is allocated and restored, not translated.
 */
export { runScenario } from './scenario/run-scenario';
export type { ScenarioResult, SimulationOptions } from './scenario/run-scenario';
export type { GuestPlan, HostAccelerator, HostPlan, NestedParentPlan, Plan, WorkloadPlan } from './scenario/plan';
export type { GuestCrash, Outcome, OutcomeKind } from './scenario/outcome';
export type { Level, TraceEvent, TraceRecord } from './scenario/trace';
export { NAMED_SIMULATIONS } from './scenario/named-simulations';
export type { NamedSimulation, SimulationName } from './scenario/named-simulations';
export { runBenchmarkScenario } from './scenario/benchmark';
export { RADIX_PANIC } from './scenario/boot-guest';
export type { StaleTranslation } from './safety/stale-translation';
export type { FaultInjection } from './machine/fault-injection';
export type { TlbEntry } from './mmu/tlb';
export type { PwcEntry } from './mmu/page-walk-cache';
export type { LeafEntry } from './radix/radix-entry';
export type { TlbInstruction, TlbieInstruction, TlbieOperands } from './isa/tlbie-operands';
export type { PageSize } from './isa/page-size';
export type { BasePageSize } from './radix/radix-geometry';
