/**
 * Test-only fault injection: a deliberately broken invalidation, to prove the safety check catches it.
 * `skipPwcFlush.nth` (0-based) skips the page-walk-cache part of the nth invalidation whose PWC part would
 * have removed an entry that no longer matches its tree — the only kind of PWC flush whose loss is a bug.
 */
export interface FaultInjection {
  readonly skipPwcFlush?: { readonly nth: number };
}
