/**
 * Remembers a pure function's answers per object and key, for as long as the object lives: what a capability
 * class's host or a resolved configuration meets is worked out once, and forgotten with the fleet state it came from.
 */
export const memoPerObject = <O extends object, A, K, R>(fn: (object: O, arg: A) => R, keyOf: (arg: A) => K): ((object: O, arg: A) => R) => {
  const answers = new WeakMap<O, Map<K, R>>();
  return (object: O, arg: A): R => {
    let known = answers.get(object);
    if (known === undefined) answers.set(object, (known = new Map()));
    const key = keyOf(arg);
    if (known.has(key)) return known.get(key) as R;
    const answer = fn(object, arg);
    known.set(key, answer);
    return answer;
  };
};
