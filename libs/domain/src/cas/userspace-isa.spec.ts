import { littleEndianRelease, userspaceWithoutVsx } from './userspace-isa';

describe('When reading the endianness from a kernel release', () => {
  it.each([
    ['6.1.0-57-powerpc64le', true],
    ['5.14.0-362.el9.ppc64le', true],
    ['6.1.0-57-powerpc64', false],
    ['5.15.0-91-generic', false],
    ['6.1.0', false],
  ])('%s → little-endian %s', (release, le) => {
    expect(littleEndianRelease(release)).toBe(le);
  });
});

describe('When a guest boots with cap-vsx=0 (conformance B36)', () => {
  it('panics a little-endian guest: init dies of SIGILL at its first VSX instruction (BOOT-LE-VSX-OFF)', () => {
    expect(userspaceWithoutVsx('6.1.0-57-powerpc64le', { vsx: 0 })).toMatchObject({
      ruleId: 'BOOT-LE-VSX-OFF',
      severity: 'error',
      cap: 'vsx',
      message: 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000004',
    });
  });

  it('says nothing with VSX on, or when the release does not name the endianness', () => {
    expect(userspaceWithoutVsx('6.1.0-57-powerpc64le', { vsx: 1 })).toBeNull();
    expect(userspaceWithoutVsx('5.15.0-91-generic', { vsx: 0 })).toBeNull();
  });
});
