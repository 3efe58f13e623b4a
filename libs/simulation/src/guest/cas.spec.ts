import { DEFAULT_GUEST, KVM_L0_HOST, L1_GTSE0_HOST, TCG_HOST } from '../scenario/named-simulations';
import { GuestPlan } from '../scenario/plan';
import { negotiateCas } from './cas';

const withCmdline = (cmdline: Partial<GuestPlan['cmdline']>): GuestPlan => ({ ...DEFAULT_GUEST, cmdline: { ...DEFAULT_GUEST.cmdline, ...cmdline } });

describe('When a current guest boots under TCG on POWER9 (ground truth)', () => {
  it('is offered dynamic MMU and GTSE, asks radix+GTSE and gets both', () => {
    expect(negotiateCas(DEFAULT_GUEST, TCG_HOST)).toEqual({
      kind: 'negotiated',
      negotiation: {
        offered: { radix: true, gtse: true },
        platformSupport: { byte24: 0xc0, byte26: 0x40 },
        requested: { radix: true, gtse: true },
        negotiated: { mmu: 'radix', gtse: true },
      },
    });
  });

  it('negotiates radix without GTSE under radix_hcall_invalidate=on', () => {
    expect(negotiateCas(withCmdline({ radixHcallInvalidate: true }), TCG_HOST)).toMatchObject({ negotiation: { negotiated: { mmu: 'radix', gtse: false } } });
  });

  it('negotiates hash under disable_radix', () => {
    expect(negotiateCas(withCmdline({ disableRadix: true }), TCG_HOST)).toMatchObject({ negotiation: { negotiated: { mmu: 'hash', gtse: false } } });
  });

  it('negotiates hash for a POWER8 (pre-ISA-3.00) guest, with or without radix_hcall_invalidate', () => {
    for (const radixHcallInvalidate of [false, true]) {
      expect(negotiateCas({ ...withCmdline({ radixHcallInvalidate }), isa300: false }, TCG_HOST)).toMatchObject({
        negotiation: { platformSupport: { byte24: 0 }, negotiated: { mmu: 'hash' } },
      });
    }
  });
});

describe('When the platform offers radix only (a nested host)', () => {
  it('ignores disable_radix and boots radix', () => {
    expect(negotiateCas(withCmdline({ disableRadix: true }), L1_GTSE0_HOST)).toMatchObject({
      negotiation: { platformSupport: { byte24: 0x40 }, negotiated: { mmu: 'radix', gtse: true } },
    });
  });

  it('makes QEMU exit when the kernel has no radix', () => {
    expect(negotiateCas({ ...DEFAULT_GUEST, kernel: { ...DEFAULT_GUEST.kernel, radix: false } }, L1_GTSE0_HOST)).toMatchObject({
      kind: 'qemu-exit',
      message: 'Guest requested unavailable MMU mode (hash).',
    });
  });
});

describe('When a kernel older than 5.9 is not offered GTSE', () => {
  it('asks hash ("we require GTSE for now")', () => {
    const old: GuestPlan = { ...withCmdline({ radixHcallInvalidate: true }), kernel: { ...DEFAULT_GUEST.kernel, gtseOptional: false } };
    expect(negotiateCas(old, { ...KVM_L0_HOST, gtseOffered: false })).toMatchObject({ negotiation: { negotiated: { mmu: 'hash' } } });
    // and it does not know radix_hcall_invalidate, so with GTSE offered it asks radix+GTSE
    expect(negotiateCas(old, KVM_L0_HOST)).toMatchObject({ negotiation: { negotiated: { mmu: 'radix', gtse: true } } });
  });
});

describe('When a radix guest meets a KVM host without KVM_CAP_PPC_MMU_RADIX', () => {
  it('is offered hash only and negotiates hash', () => {
    expect(negotiateCas(DEFAULT_GUEST, { ...KVM_L0_HOST, mmuRadix: false })).toMatchObject({ negotiation: { platformSupport: { byte24: 0 }, negotiated: { mmu: 'hash' } } });
  });
});

describe('When a guest was observed to negotiate a contract (its recorded ov5)', () => {
  const observed = (mmu: 'radix' | 'hash', gtse: boolean, guest: Partial<GuestPlan> = {}): GuestPlan => ({ ...DEFAULT_GUEST, ...guest, observed: { mmu, gtse } });

  it('takes it over its own model: radix without GTSE where the model asks GTSE', () => {
    expect(negotiateCas(observed('radix', false), KVM_L0_HOST)).toMatchObject({ kind: 'negotiated', negotiation: { requested: { radix: true, gtse: true }, negotiated: { mmu: 'radix', gtse: false } } });
  });

  it('but not where no QEMU could have given it: radix below ISA 3.00 (offered hash only), radix on a KVM without radix, hash on a radix-only KVM', () => {
    expect(negotiateCas(observed('radix', true, { isa300: false }), TCG_HOST)).toMatchObject({ kind: 'qemu-exit', source: 'QEMU hw/ppc/spapr.c:spapr_dt_ov5_platform_support' });
    expect(negotiateCas(observed('radix', true), { ...KVM_L0_HOST, mmuRadix: false })).toMatchObject({ kind: 'qemu-exit', message: 'Guest requested unavailable MMU mode (radix).' });
    expect(negotiateCas(observed('hash', false), { ...KVM_L0_HOST, mmuHashV3: false })).toMatchObject({ kind: 'qemu-exit', message: 'Guest requested unavailable MMU mode (hash).' });
    expect(negotiateCas(observed('hash', false, { isa300: false }), { ...KVM_L0_HOST, mmuHashV3: false })).toMatchObject({ kind: 'negotiated', negotiation: { negotiated: { mmu: 'hash' } } });
  });
});
