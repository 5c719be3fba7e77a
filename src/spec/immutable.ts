// Immutable as synod's build loads it (through require(), see tsup.config.ts): the module that a
// spec's `import ... from 'immutable'` resolves to when synod bundles the spec. Every export of
// the package (test/package/immutable-entry.test.ts checks the list).
import immutable from 'immutable';

export default immutable;
export {
  Collection, List, Map, OrderedMap, OrderedSet, PairSorting, Range, Record, Repeat,
  Seq, Set, Stack, fromJS, get, getIn, has, hasIn, hash, is, isAssociative, isCollection,
  isImmutable, isIndexed, isKeyed, isList, isMap, isOrdered, isOrderedMap, isOrderedSet,
  isRecord, isSeq, isSet, isStack, isValueObject, merge, mergeDeep, mergeDeepWith,
  mergeWith, remove, removeIn, set, setIn, update, updateIn
} from 'immutable';

// Exported by the package at run time, though not in its types.
const untyped = immutable as unknown as Record<'Iterable' | 'isPlainObject' | 'version', unknown>;
export const { Iterable, isPlainObject, version } = untyped;
