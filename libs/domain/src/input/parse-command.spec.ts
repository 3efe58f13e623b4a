import { aBoot, aHost } from '../testing/fleet-fixtures';
import { parseCommand, parseCommandEnvelope } from './parse-command';

const refusal = (type: Parameters<typeof parseCommand>[0], doc: unknown) => {
  const r = parseCommand(type, doc);
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
};

describe('When a host snapshot is parsed', () => {
  it('accepts the SPEC §2.1 example and moves the idempotency key out of the data', () => {
    const r = parseCommand('RecordHostSnapshot', { ...aHost(), idempotencyKey: 'k1' });
    expect(r).toEqual({ ok: true, value: { command: { type: 'RecordHostSnapshot', data: aHost() }, idempotencyKey: 'k1' } });
  });
  it('defaults parentGuestId to null on a level-0 host', () => {
    const { parentGuestId: _omit, ...withoutParent } = aHost();
    const r = parseCommand('RecordHostSnapshot', withoutParent);
    expect(r.ok && r.value.command.data).toEqual(aHost());
  });
  it('names an unknown field, a wrong type and a bad enum', () => {
    expect(refusal('RecordHostSnapshot', { ...aHost(), level: 'one', accelerator: 'xen', colour: 'red' })).toEqual(
      expect.arrayContaining([
        { field: 'level', reason: 'must be a number, got string' },
        { field: 'accelerator', reason: 'must be one of "kvm-hv", "kvm-pr", "tcg"' },
        { field: 'colour', reason: 'unknown field' },
      ]),
    );
  });
  it('names the GTSE cap range the way operators read it', () => {
    const host = aHost();
    expect(refusal('RecordHostSnapshot', { ...host, kvm: { ...host.kvm, caps: { KVM_CAP_PPC_GTSE: 3 } } })).toEqual([{ field: 'kvm.caps.KVM_CAP_PPC_GTSE', reason: 'must be 0, 1 or 2' }]);
  });
  it('requires kvm for KVM accelerators and refuses it for tcg', () => {
    const { kvm: _k, ...noKvm } = aHost();
    expect(refusal('RecordHostSnapshot', noKvm)).toEqual([{ field: 'kvm', reason: 'is required when accelerator is kvm-hv' }]);
    expect(refusal('RecordHostSnapshot', { ...aHost(), accelerator: 'tcg' })).toEqual([{ field: 'kvm', reason: 'must be absent when accelerator is tcg' }]);
  });
  it('refuses KVM_CAP_PPC_NESTED_HV=1 with the nested parameter off', () => {
    const host = aHost();
    expect(refusal('RecordHostSnapshot', { ...host, kvm: { ...host.kvm, nestedEnabled: false } })).toEqual([
      expect.objectContaining({ field: 'kvm.caps.KVM_CAP_PPC_NESTED_HV' }),
    ]);
  });
  it('refuses a time without zone', () => {
    expect(refusal('RecordHostSnapshot', { ...aHost(), observedAt: '2026-11-24T10:00:00' })).toEqual([expect.objectContaining({ field: 'observedAt', reason: expect.stringMatching(/with zone/) })]);
  });
});

describe('When a guest boot is parsed', () => {
  it('refuses a bad ID and an odd-length ov5', () => {
    expect(refusal('RecordGuestBoot', { ...aBoot({ guestId: '-vm' }), observed: { ov5: 'abc' } })).toEqual([
      expect.objectContaining({ field: 'guestId' }),
      { field: 'observed.ov5', reason: 'must be an even number of hex digits' },
    ]);
  });
});

describe('When an import line envelope is parsed', () => {
  it('names an unknown command', () => {
    const r = parseCommandEnvelope({ command: 'DeleteHost', data: {} });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error[0].field).toBe('command');
  });
  it('requires data', () => {
    const r = parseCommandEnvelope({ command: 'RetireHost' });
    expect(!r.ok && r.error).toEqual([{ field: 'data', reason: 'is required' }]);
  });
});
