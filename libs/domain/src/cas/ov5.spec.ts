import fc from 'fast-check';
import {
  OV5_DRCONF_MEMORY,
  OV5_DRMEM_V2,
  OV5_FORM1_AFFINITY,
  OV5_FORM2_AFFINITY,
  OV5_HP_EVT,
  OV5_HPT_RESIZE,
  OV5_MAX_BYTES,
  OV5_MMU_RADIX_300,
  OV5_MMU_RADIX_GTSE,
  OV5_XIVE_EXPLOIT,
  Ov5Vector,
  describeOv5,
  formatOv5Description,
  formatOv5Malformation,
  readOv5,
} from './ov5';

// The four vectors recorded on Debian QEMU 7.2 TCG (cas-ov5.md §1.2 / §4).
const POWER9_RADIX = '1900200000a0050000000000000000000000000000008040400040';
const POWER9_HASH = '1600200000a0050000000000000000000000000000008040';
const POWER8_HASH = '1500200000a00500000000000000000000000000000080';
const POWER9_RADIX_PSERIES_6_0 = '190020000080050000000000000000000000000000008040400040';

const arbitraryVector = fc
  .uint8Array({ maxLength: OV5_MAX_BYTES })
  .map((bytes) => Ov5Vector.fromOptionBytes(bytes));

describe('When decoding the recorded ground-truth vectors', () => {
  it('reads POWER9 radix as radix + GTSE + XIVE + FORM1/FORM2', () => {
    const d = Ov5Vector.decodeHex(POWER9_RADIX);
    if (!d.ok) throw new Error(d.reason);
    expect(d.malformations).toEqual([]);
    expect(d.vector.vecLen).toBe(26);
    expect(readOv5(d.vector)).toEqual({ mmu: 'radix', gtse: true, xive: true, form1: true, form2: true });
    expect(d.vector.setBits().map((b) => b.feature?.name)).toEqual([
      'OV5_DRCONF_MEMORY',
      'OV5_FORM1_AFFINITY',
      'OV5_FORM2_AFFINITY',
      'OV5_HP_EVT',
      'OV5_HPT_RESIZE',
      'OV5_DRMEM_V2',
      'OV5_XIVE_EXPLOIT',
      'OV5_MMU_RADIX_300',
      'OV5_MMU_RADIX_GTSE',
    ]);
  });

  it('reads POWER9 disable_radix as hash without GTSE, XIVE kept', () => {
    const d = Ov5Vector.decodeHex(POWER9_HASH);
    if (!d.ok) throw new Error(d.reason);
    expect(d.malformations).toEqual([]);
    expect(readOv5(d.vector)).toEqual({ mmu: 'hash', gtse: false, xive: true, form1: true, form2: true });
  });

  it('reads POWER8 as hash with XICS', () => {
    const d = Ov5Vector.decodeHex(POWER8_HASH);
    if (!d.ok) throw new Error(d.reason);
    expect(readOv5(d.vector)).toEqual({ mmu: 'hash', gtse: false, xive: false, form1: true, form2: true });
  });

  it('reads pseries-6.0 byte 5 as FORM1 only', () => {
    const d = Ov5Vector.decodeHex(POWER9_RADIX_PSERIES_6_0);
    if (!d.ok) throw new Error(d.reason);
    expect(d.vector.byte(5)).toBe(0x80);
    expect(readOv5(d.vector).form2).toBe(false);
  });

  it.each([POWER9_RADIX, POWER9_HASH, POWER8_HASH, POWER9_RADIX_PSERIES_6_0])('re-encodes %s byte for byte', (hex) => {
    const d = Ov5Vector.decodeHex(hex);
    if (!d.ok) throw new Error(d.reason);
    expect(d.vector.toHex()).toBe(hex);
  });
});

describe('When encoding a vector as spapr_dt_ovec does', () => {
  it('writes byte 0 = vec_len - 1 and stops at the last non-zero byte', () => {
    const v = Ov5Vector.of(
      OV5_DRCONF_MEMORY,
      OV5_FORM1_AFFINITY,
      OV5_FORM2_AFFINITY,
      OV5_HP_EVT,
      OV5_HPT_RESIZE,
      OV5_DRMEM_V2,
      OV5_XIVE_EXPLOIT,
      OV5_MMU_RADIX_300,
      OV5_MMU_RADIX_GTSE,
    );
    expect(v.toHex()).toBe(POWER9_RADIX);
  });

  it('writes one zero byte for an empty vector', () => {
    expect(Ov5Vector.empty().toHex()).toBe('0000');
  });

  it('drops the radix bits when they are removed', () => {
    const d = Ov5Vector.decodeHex(POWER9_RADIX);
    if (!d.ok) throw new Error(d.reason);
    expect(d.vector.without(OV5_MMU_RADIX_300).without(OV5_MMU_RADIX_GTSE).toHex()).toBe(POWER9_HASH);
  });

  it('intersects bit by bit like spapr_ovec_intersect', () => {
    const offer = Ov5Vector.of(OV5_MMU_RADIX_300, OV5_MMU_RADIX_GTSE, OV5_FORM1_AFFINITY);
    const request = Ov5Vector.of(OV5_MMU_RADIX_300, OV5_FORM1_AFFINITY, OV5_FORM2_AFFINITY);
    expect(offer.intersect(request).equals(Ov5Vector.of(OV5_MMU_RADIX_300, OV5_FORM1_AFFINITY))).toBe(true);
  });
});

describe('When the property is malformed', () => {
  it('reports a length byte that disagrees with the bytes that follow, and decodes best-effort', () => {
    const d = Ov5Vector.decodeHex('1a00200000a0050000000000000000000000000000008040400040');
    if (!d.ok) throw new Error(d.reason);
    expect(d.malformations).toEqual([{ kind: 'length-mismatch', lengthByte: 0x1a, declaredBytes: 27, actualBytes: 26 }]);
    expect(readOv5(d.vector).mmu).toBe('radix');
    expect(formatOv5Malformation('1a…', d.malformations[0]!)).toBe('observed ov5 1a…: length byte 0x1a says 27 bytes but 26 follow');
  });

  it('reports MMU_BOTH, XIVE_BOTH and any byte 25 bit', () => {
    const v = Ov5Vector.fromOptionBytes([...new Array(22).fill(0), 0x80, 0x80, 0x40]);
    const d = Ov5Vector.decodeHex(v.toHex());
    if (!d.ok) throw new Error(d.reason);
    expect(d.malformations.map((m) => (m.kind === 'never-set-by-qemu' ? [m.byte, m.features] : m.kind))).toEqual([
      [23, ['OV5_XIVE_BOTH']],
      [24, ['OV5_MMU_BOTH']],
      [25, ['OV5_HASH_GTSE']],
    ]);
  });

  it('reports a trailing zero byte', () => {
    const d = Ov5Vector.decodeHex('02002000');
    if (!d.ok) throw new Error(d.reason);
    expect(d.malformations).toEqual([{ kind: 'trailing-zero', byte: 3 }]);
  });

  it.each([
    ['', 'empty'],
    ['1', 'odd'],
    ['zz', 'hexadecimal'],
    ['00', 'at least 2 bytes'],
  ])('refuses %j', (hex, reason) => {
    const d = Ov5Vector.decodeHex(hex);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toContain(reason);
  });
});

describe('When describing a vector for decode-ov5', () => {
  it('names every set feature and unknown bits as null', () => {
    const r = describeOv5('0x' + Ov5Vector.fromOptionBytes([0, 0, 0x08]).toHex());
    if (!r.ok) throw new Error(r.reason);
    expect(r.description.bits).toEqual([{ byte: 3, mask: 0x08, name: null, description: null }]);
  });

  it('prints one line per feature for the CLI', () => {
    const r = describeOv5(POWER8_HASH);
    if (!r.ok) throw new Error(r.reason);
    expect(formatOv5Description(r.description)).toEqual([
      'ibm,architecture-vec-5 1500200000a00500000000000000000000000000000080: length byte 0x15, 22 option byte(s)',
      '  byte  2 0x20 OV5_DRCONF_MEMORY (ibm,dynamic-reconfiguration-memory)',
      '  byte  5 0x80 OV5_FORM1_AFFINITY (FORM1 NUMA affinity)',
      '  byte  5 0x20 OV5_FORM2_AFFINITY (FORM2 NUMA affinity (QEMU ≥ 6.2, pseries ≥ 6.2))',
      '  byte  6 0x04 OV5_HP_EVT (hot-plug event source)',
      '  byte  6 0x01 OV5_HPT_RESIZE (HPT resizing)',
      '  byte 22 0x80 OV5_DRMEM_V2 (ibm,dynamic-memory-v2)',
      'mmu=hash gtse=0 xive=0 form1=1 form2=1',
    ]);
  });

  it('gives the contract reading', () => {
    const r = describeOv5(POWER9_RADIX);
    if (!r.ok) throw new Error(r.reason);
    expect(r.description.lengthByte).toBe(0x19);
    expect(r.description.optionBytes).toBe(26);
    expect(r.description.reading.mmu).toBe('radix');
  });
});

describe('When round-tripping (property)', () => {
  it('decode(encode(v)) = v', () => {
    fc.assert(
      fc.property(arbitraryVector, (v) => {
        const d = Ov5Vector.decodeProperty(v.encodeProperty());
        return d.ok && d.vector.equals(v) && !d.malformations.some((m) => m.kind !== 'never-set-by-qemu');
      }),
    );
  });

  it('encode(decode(p)) = p for every canonical property', () => {
    fc.assert(
      fc.property(arbitraryVector, (v) => {
        const hex = v.toHex();
        const d = Ov5Vector.decodeHex(hex);
        return d.ok && d.vector.toHex() === hex;
      }),
    );
  });

  it('with/has agree for every named feature', () => {
    fc.assert(
      fc.property(arbitraryVector, fc.integer({ min: 1, max: OV5_MAX_BYTES }), fc.integer({ min: 0, max: 7 }), (v, byte, bit) => {
        const f = { byte, mask: 0x80 >> bit };
        return v.with(f).has(f) && !v.without(f).has(f) && v.with(f).without(f).equals(v.without(f));
      }),
    );
  });
});
