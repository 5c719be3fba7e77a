// Work shared by the guards and properties of one state: `perState(f)` computes f(s) once per
// state object. The explorer hands the same state object to every guard, effect and property
// it evaluates on that state, so an index of a message set is built once, not once per guard.

/** Memoises a pure function of the state, per state object (held weakly). */
export function perState<S extends object, R>(f: (s: S) => R): (s: S) => R {
  const memo = new WeakMap<S, R>();
  return (s) => {
    let r = memo.get(s);
    if (r === undefined && !memo.has(s)) {
      r = f(s);
      memo.set(s, r);
    }
    return r as R;
  };
}
