/**
 * Runs a flush sequence (`tlbie…; eieio; tlbsync; ptesync` or `tlbiel…; ptesync`) on one thread, stopping
 * at the first instruction that interrupts. The sequence has completed — and the kernel may free what it
 * unmapped — only when its last `ptesync` executed.
 */
import { Interrupt } from '../isa/interrupt';
import { TlbInstruction } from '../isa/tlbie-operands';
import { Machine } from '../machine/machine';
import { ExecutionContext } from './hardware-thread';
import { executeTlbInstruction, TlbExecution } from './tlbie';

export type SequenceResult =
  | { readonly kind: 'completed' }
  | { readonly kind: 'interrupted'; readonly instruction: TlbInstruction; readonly interrupt: Interrupt };

export type InstructionObserver = (instruction: TlbInstruction, execution: TlbExecution) => void;

export const GLOBAL_SYNC: readonly TlbInstruction[] = [{ mnemonic: 'eieio' }, { mnemonic: 'tlbsync' }, { mnemonic: 'ptesync' }];
export const LOCAL_SYNC: readonly TlbInstruction[] = [{ mnemonic: 'ptesync' }];

export function runSequence(
  machine: Machine,
  context: ExecutionContext,
  instructions: readonly TlbInstruction[],
  observe?: InstructionObserver,
): SequenceResult {
  for (const instruction of instructions) {
    const execution = executeTlbInstruction(machine, context, instruction);
    observe?.(instruction, execution);
    if (execution.kind === 'interrupt') return { kind: 'interrupted', instruction, interrupt: execution.interrupt };
  }
  return { kind: 'completed' };
}
