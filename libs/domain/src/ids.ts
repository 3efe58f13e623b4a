/** SPEC §2: every host and guest ID. The first character may not be punctuation so IDs never look like options. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export type HostId = string;
export type GuestId = string;

export const hostStreamId = (hostId: HostId): string => `host-${hostId}`;
export const guestStreamId = (guestId: GuestId): string => `guest-${guestId}`;
