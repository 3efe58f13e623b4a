import type { EncodedOps } from './write-ops.codec';

export type WriterRequest = { readonly kind: 'begin' } | { readonly kind: 'ops'; readonly ops: EncodedOps } | { readonly kind: 'commit' } | { readonly kind: 'rollback' };

/** `begin` answers with where the next event goes; `commit` and `rollback` with nothing, or the error that stopped them. */
export type WriterReply = { readonly ok: true; readonly next: number } | { readonly ok: false; readonly error: string };

/** Int32 slots of the shared signal: the reply flag (0 until answered) and a progress count (chunks of writes applied). */
export const REPLIED = 0;
export const PROGRESS = 1;
