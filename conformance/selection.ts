/**
 * Which cases a run takes, and which it leaves out and why: `--only`, and the nested cases when setup.sh built no
 * nested images (`CONFORMANCE_NESTED=0`). The left-out line is printed before each closing line, so a partial run
 * cannot pass for the full one.
 */

export interface LeftOut {
  readonly count: number;
  readonly why: string;
}

export function selectCases<C extends { readonly id: string; readonly kind: string }>(
  all: readonly C[],
  opts: { readonly only?: RegExp; readonly nestedImages: boolean },
): { cases: C[]; leftOut: LeftOut[] } {
  const matching = all.filter((c) => !opts.only || opts.only.test(c.id));
  const cases = matching.filter((c) => c.kind !== 'nested' || opts.nestedImages);
  return {
    cases,
    leftOut: [
      { count: all.length - matching.length, why: `not matching --only ${String(opts.only)}` },
      { count: matching.length - cases.length, why: 'nested, no nested images (setup.sh ran with CONFORMANCE_NESTED=0)' },
    ].filter((l) => l.count > 0),
  };
}

/** `left out: N of M cases (…)`, or null when nothing was left out. */
export function leftOutLine(total: number, leftOut: readonly LeftOut[]): string | null {
  const n = leftOut.reduce((sum, l) => sum + l.count, 0);
  return n === 0 ? null : `left out: ${n} of ${total} cases (${leftOut.map((l) => `${l.count} ${l.why}`).join('; ')})`;
}
