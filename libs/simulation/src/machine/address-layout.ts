/**
 * Where each level keeps its page-table pages and hands out real pages, in the model's address spaces.
 * Distinct bases keep addresses of different kinds from ever looking alike in a trace.
 */
export const L0_TABLE_BASE = 0x1_0000_0000;
export const L0_FRAME_BASE = 0x10_0000_0000;
export const L1_TABLE_BASE = 0x2_0000_0000;
export const L1_FRAME_BASE = 0x20_0000_0000;
export const GUEST_TABLE_BASE = 0x1000_0000;
export const GUEST_FRAME_BASE = 0x4000_0000;
