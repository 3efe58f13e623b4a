import type { EncodedOps } from './write-ops.codec';

export type WriterRequest = { readonly kind: 'begin' } | { readonly kind: 'ops'; readonly ops: EncodedOps } | { readonly kind: 'commit' } | { readonly kind: 'rollback' };

/** `begin` answers with where the next event goes; `commit` and `rollback` with nothing, or the error that stopped them. */
export type WriterReply = { readonly ok: true; readonly next: number } | { readonly ok: false; readonly error: string };

/** The Int32 slot of the shared signal that is 0 until the writer answers. */
export const REPLIED = 0;
