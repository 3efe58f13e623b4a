/**
 * Freezes a plain JSON-like value and everything in it. Memoised answers are shared by every caller (and by every
 * event that records them), so they must never change; frozen, they also let the store remember their
 * canonical form.
 */
export const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
};
