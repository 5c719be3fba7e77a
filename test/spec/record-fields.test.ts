// t.record refuses field names that Immutable's Record already answers to (r.entries would be
// the Record method, not the field), with SYN205 naming the field and suggesting a rename; the
// list is read off a real record, so names Immutable leaves free (size, keys) stay allowed.
import { describe, expect, it } from 'vitest';
import { Record as IRecord } from 'immutable';
import { codes, compileSpec, defineSpec, t } from 'synod';
import { specError } from './spec-error.js';

describe('t.record field names', () => {
  it.each(['entries', 'get', 'set', 'toJS', 'equals', 'hashCode', 'merge', 'update', 'delete', 'remove', 'clear', 'has', 'toObject', 'constructor', 'hasOwnProperty', '__ownerID', '_values'])(
    'refuses %s with SYN205, naming the field and suggesting a rename',
    (name) => {
      const e = specError(() => t.record({ ok: t.bool(), [name]: t.int(0, 1) }, 'Entry'));
      expect(e.code).toBe(codes.reservedField);
      expect(e.code).toBe('SYN205');
      expect(e.message).toContain(`field '${name}'`);
      expect(e.message).toContain("t.record 'Entry'");
      expect(e.hint).toMatch(/^rename the field/);
    },
  );

  it('says whether the clash is with a method or an internal property', () => {
    expect(specError(() => t.record({ entries: t.bool() })).message).toContain('Record method');
    expect(specError(() => t.record({ _values: t.bool() })).message).toContain('Record internal property');
  });

  it('allows names Immutable leaves to fields (size, keys, values, length, type), which read back as fields', () => {
    const R = t.record({ size: t.int(0, 3), keys: t.bool(), values: t.bool(), length: t.int(0, 1), type: t.bool() });
    const r = R.make({ size: 2, keys: true, values: false, length: 1, type: true });
    expect([r.size, r.keys, r.values, r.length, r.type]).toEqual([2, true, false, 1, true]);
  });

  it('refuses exactly what a real Immutable record answers to', () => {
    const probe = IRecord({})();
    for (const name of ['get', 'toString', 'withMutations', 'asImmutable', 'size', 'keys', 'first']) {
      const refused = (() => { try { t.record({ [name]: t.bool() }); return false; } catch { return true; } })();
      expect(refused, name).toBe(name in probe);
    }
  });

  it('checks union variants too, naming the variant', () => {
    const e = specError(() => t.union('type', { AppendEntries: { entries: t.bool() } }));
    expect(e.message).toContain("t.record 'AppendEntries': field 'entries'");
  });

  it('reaches the command line as SYN205 with its hint when types() declares such a field', () => {
    const spec = defineSpec({
      name: 'clash',
      types: () => ({ state: t.record({ merge: t.bool() }) }),
      init: (T) => T.state.make({ merge: false }),
      actions: () => ({ Stay: { then: (s) => s } }),
    });
    const e = specError(() => compileSpec(spec));
    expect([e.code, e.message]).toEqual(['SYN205', "t.record: field 'merge' clashes with the Immutable Record method of that name (r.merge would not read the field)"]);
    expect(e.hint).toContain("'logEntries' rather than 'entries'");
  });
});
