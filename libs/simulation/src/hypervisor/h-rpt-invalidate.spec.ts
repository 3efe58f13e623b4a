import {
  H_FUNCTION,
  H_P2,
  H_P5,
  H_RPTI_END_ALL,
  H_RPTI_PAGE_64K,
  H_RPTI_PAGE_ALL,
  H_RPTI_TARGET_CMMU,
  H_RPTI_TARGET_CMMU_LOCAL,
  H_RPTI_TYPE_ALL,
  H_RPTI_TYPE_NESTED,
  H_RPTI_TYPE_PWC,
  H_RPTI_TYPE_TLB,
  H_UNSUPPORTED,
} from '../isa/hcalls';
import { describeInstruction } from '../isa/tlbie-operands';
import { kvmppcHRptInvalidate, rptInvalidatePrtSequence, TLB_SINGLE_PAGE_FLUSH_CEILING } from './h-rpt-invalidate';

const args = { pid: 5, target: H_RPTI_TARGET_CMMU, type: H_RPTI_TYPE_TLB, pageSizes: H_RPTI_PAGE_64K, start: 0x10000, end: 0x30000 };
const vm = { radix: true, nestingEnabled: true };

describe('When KVM checks an H_RPT_INVALIDATE (kvmppc_h_rpt_invalidate)', () => {
  it.each([
    ['a hash partition', args, { ...vm, radix: false }, H_UNSUPPORTED],
    ['end < start', { ...args, start: 2, end: 1 }, vm, H_P5],
    ['a NESTED request without nesting', { ...args, type: H_RPTI_TYPE_NESTED }, { ...vm, nestingEnabled: false }, H_FUNCTION],
    ['a NESTED request with target ≠ CMMU', { ...args, type: H_RPTI_TYPE_NESTED, target: H_RPTI_TARGET_CMMU_LOCAL }, vm, H_P2],
  ])('returns its error for %s', (_, a, v, rc) => {
    expect(kvmppcHRptInvalidate(a, v)).toEqual({ kind: 'return', rc });
  });

  it('handles a process-scoped request whatever its target', () => {
    expect(kvmppcHRptInvalidate({ ...args, target: H_RPTI_TARGET_CMMU_LOCAL }, vm)).toEqual({ kind: 'process-scoped' });
    expect(kvmppcHRptInvalidate({ ...args, type: H_RPTI_TYPE_NESTED }, vm)).toEqual({ kind: 'nested' });
  });
});

describe('When do_h_rpt_invalidate_prt turns a request into tlbie', () => {
  const texts = (a: typeof args) => rptInvalidatePrtSequence(a, 3).map(describeInstruction);

  it('flushes a small range page by page for (pid, lpid), then syncs', () => {
    expect(texts(args)).toEqual([
      'tlbie RIC=0 PRS=1 R=1 IS=0 RS.PID=5 RS.LPID=3 RB.EPN=0x10000 RB.AP=5',
      'tlbie RIC=0 PRS=1 R=1 IS=0 RS.PID=5 RS.LPID=3 RB.EPN=0x20000 RB.AP=5',
      'eieio',
      'tlbsync',
      'ptesync',
    ]);
  });

  it('turns H_RPTI_TYPE_ALL into one RIC=2 PID flush', () => {
    expect(texts({ ...args, type: H_RPTI_TYPE_ALL, pageSizes: H_RPTI_PAGE_ALL, start: 0, end: H_RPTI_END_ALL })[0]).toBe(
      'tlbie RIC=2 PRS=1 R=1 IS=1 RS.PID=5 RS.LPID=3 RB.EPN=0x0 RB.AP=0',
    );
  });

  it('flushes the PWC first when asked', () => {
    expect(texts({ ...args, type: H_RPTI_TYPE_TLB | H_RPTI_TYPE_PWC })[0]).toBe('tlbie RIC=1 PRS=1 R=1 IS=1 RS.PID=5 RS.LPID=3 RB.EPN=0x0 RB.AP=0');
  });

  it('turns a range above the ceiling into a PID flush', () => {
    const big = { ...args, start: 0, end: (TLB_SINGLE_PAGE_FLUSH_CEILING + 1) * 0x10000 };
    expect(texts(big)).toEqual(['tlbie RIC=0 PRS=1 R=1 IS=1 RS.PID=5 RS.LPID=3 RB.EPN=0x0 RB.AP=0', 'eieio', 'tlbsync', 'ptesync']);
  });
});
