/**
 * How a simulated scenario ended (issue 5): `ok`, `guest-crash` (with the faulting instruction),
 * `guest-panic`, `qemu-refused`, `migration-failed`, `stale-translation` (with the entry), and
 * `not-modelled` for a guest the model cannot follow, never reported as `ok`: a radix guest on a nested
 * host whose chain of parent guests it cannot rebuild (a parent missing from the plan or one that could not
 * have booted radix, a KVM-PR host inside the chain or as L0), on a KVM-PR host that claims radix, or observed to
 * negotiate a contract (its recorded ov5) where the model stops it before it could have. A hash guest is
 * followed through start-up, CAS and its HPT's allocation and restore, and ends `ok` past them.
 */
import { TlbInstruction } from '../isa/tlbie-operands';
import { StaleTranslation } from '../safety/stale-translation';
import { Level } from './trace';

export interface GuestCrash {
  /** Who dies: the guest itself, or (old L0 reflecting H_RPT_INVALIDATE) the L1 running it. */
  readonly level: Level;
  readonly thread: number;
  readonly instruction: TlbInstruction;
  /** The faulting instruction in assembler form with its operands. */
  readonly text: string;
  /** Instruction image (as HEIR would hold it); register fields 0. */
  readonly image?: number;
  /** How the interrupt reached the guest, e.g. "HEAI 0xe40 → L0 → reflected to L1 → Program (illegal) into L2". */
  readonly delivery: string;
}

export type Outcome =
  | { readonly kind: 'ok' }
  | ({ readonly kind: 'guest-crash' } & GuestCrash)
  | { readonly kind: 'guest-panic'; readonly level: Level; readonly message: string }
  | { readonly kind: 'qemu-refused'; readonly message: string; readonly source: string }
  | { readonly kind: 'migration-failed'; readonly message: string; readonly source: string }
  | { readonly kind: 'stale-translation'; readonly stale: StaleTranslation }
  | { readonly kind: 'not-modelled'; readonly reason: string };

export type OutcomeKind = Outcome['kind'];
