import { LPCR_GTSE, LPCR_HR, LPCR_MER, LPCR_UPRT, lpcrHas } from '../isa/lpcr';
import { kvmL2Lpcr, tcgL2Lpcr } from './h-enter-nested';

const L1_GTSE0 = LPCR_UPRT | LPCR_HR;
const L2_ASKS_GTSE = LPCR_UPRT | LPCR_HR | LPCR_GTSE | LPCR_MER;

describe('When a Linux KVM-HV L0 enters an L2 (load_l2_hv_regs)', () => {
  it("keeps L1's GTSE whatever L1 asked for the L2", () => {
    expect(lpcrHas(kvmL2Lpcr(L1_GTSE0, L2_ASKS_GTSE), LPCR_GTSE)).toBe(false);
    expect(lpcrHas(kvmL2Lpcr(L1_GTSE0 | LPCR_GTSE, LPCR_UPRT | LPCR_HR), LPCR_GTSE)).toBe(true);
  });

  it('lets L1 choose the bits in the mask, such as MER', () => {
    expect(lpcrHas(kvmL2Lpcr(L1_GTSE0, L2_ASKS_GTSE), LPCR_MER)).toBe(true);
  });
});

describe('When a QEMU TCG L0 enters an L2 (h_enter_nested)', () => {
  it('forces GTSE, HR and UPRT on', () => {
    expect(tcgL2Lpcr(0n) & (LPCR_GTSE | LPCR_HR | LPCR_UPRT)).toBe(LPCR_GTSE | LPCR_HR | LPCR_UPRT);
  });
});
