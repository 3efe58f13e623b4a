/**
 * Remembers a pure function's answers per object and keys, for as long as the object lives: what a capability
 * class's host or a resolved configuration meets is worked out once, and forgotten with the fleet state it came from.
 * `keysOf` names everything else the answer depends on (compared by identity, as Map keys are).
 */
export const memoPerObject = <O extends object, A extends unknown[], R>(fn: (object: O, ...args: A) => R, keysOf: (...args: A) => readonly unknown[]): ((object: O, ...args: A) => R) => {
  const answers = new WeakMap<O, Map<unknown, unknown>>();
  return (object: O, ...args: A): R => {
    let level = answers.get(object);
    if (level === undefined) answers.set(object, (level = new Map()));
    const keys = keysOf(...args);
    const last = keys.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(keys[i]) as Map<unknown, unknown> | undefined;
      if (next === undefined) level.set(keys[i], (next = new Map()));
      level = next;
    }
    if (level.has(keys[last])) return level.get(keys[last]) as R;
    const answer = fn(object, ...args);
    level.set(keys[last], answer);
    return answer;
  };
};
