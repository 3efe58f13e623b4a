/**
 * Remembers a pure function's answers by a key, dropping the oldest past `capacity`. Fleets repeat themselves:
 * thousands of guests share a handful of configurations on a handful of host classes, so the CAS model runs
 * once per distinct (host class, configuration), not once per recorded boot.
 */
export const boundedMemo = <A extends unknown[], R>(fn: (...args: A) => R, keyOf: (...args: A) => string, capacity = 4096): ((...args: A) => R) => {
  const answers = new Map<string, R>();
  return (...args: A): R => {
    const key = keyOf(...args);
    const known = answers.get(key);
    if (known !== undefined) return known;
    const answer = fn(...args);
    if (answers.size >= capacity) answers.delete(answers.keys().next().value as string);
    answers.set(key, answer);
    return answer;
  };
};
