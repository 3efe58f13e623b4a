import { H_P2, H_P3, H_P4, H_PARAMETER, H_SUCCESS, PROC_TABLE_GTSE, PROC_TABLE_HPT_PT, PROC_TABLE_NEW, PROC_TABLE_RADIX } from '../isa/hcalls';
import { LPCR_GTSE, LPCR_HR, LPCR_UPRT } from '../isa/lpcr';
import { hRegisterProcTbl } from './h-register-proc-tbl';

const radix = { flags: PROC_TABLE_NEW | PROC_TABLE_RADIX, base: 0x100_0000, pageSize: 0, tableSize: 12 };

describe('When a radix guest registers its process table', () => {
  it('sets UPRT and HR, and GTSE only with PROC_TABLE_GTSE', () => {
    expect(hRegisterProcTbl(radix)).toMatchObject({ rc: H_SUCCESS, lpcrBits: LPCR_UPRT | LPCR_HR });
    expect(hRegisterProcTbl({ ...radix, flags: radix.flags | PROC_TABLE_GTSE })).toMatchObject({ rc: H_SUCCESS, lpcrBits: LPCR_UPRT | LPCR_HR | LPCR_GTSE });
  });

  it('builds PATE dw1 as QEMU does: GR | process table base | PRTS', () => {
    expect(hRegisterProcTbl(radix)).toMatchObject({ pateDw1: (1n << 63n) | 0x100_0000n | 12n });
  });
});

describe('When the arguments are wrong', () => {
  it.each([
    ['an unaligned base', { ...radix, base: 0x100_0800 }, H_P2],
    ['a base at 2^60', { ...radix, base: 2 ** 60 }, H_P2],
    ['a non-zero page size', { ...radix, pageSize: 1 }, H_P3],
    ['a table larger than 2^36', { ...radix, tableSize: 25 }, H_P4],
    ['an HPT registration (not modelled)', { ...radix, flags: PROC_TABLE_NEW | PROC_TABLE_HPT_PT }, H_PARAMETER],
  ])('returns the PAPR error for %s', (_, args, rc) => {
    expect(hRegisterProcTbl(args).rc).toBe(rc);
  });
});
