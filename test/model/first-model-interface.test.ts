/**
 * A document's first model is built without reading its module interface (model/module-interface.ts: a pass over
 * every top-level statement, needed only to compare a later version with it), so that the first report of a document
 * just opened does not wait for it: it is read when the model is asked for again (the progressive open's next
 * slices), or when the next version is compared. Either way the next versions are reused, patched or built as before,
 * with the reports of a fresh engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analyses } from '../../server/src/checks';
import { Engine } from '../../server/src/engine';
import { documentModelStats } from '../../server/src/model/document-model';
import { defaultSettings } from '../../server/src/settings/validate-settings';

const TEXT = [
  'from libc.math cimport sqrt',
  '',
  'cdef double half(double x) nogil:',
  '    return x / 2',
  '',
  'def f(double x, list items):',
  '    with nogil:',
  '        x = sqrt(half(x))',
  '        items.append(x)',
  '    return x',
  '',
].join('\n');

describe('a document\'s first model and its interface', () => {
  let engine: Engine;
  let fresh: Engine;
  const settings = defaultSettings();
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
    fresh = await Engine.create({ ...analyses, log: () => undefined });
  });
  after(() => {
    engine.dispose();
    fresh.dispose();
  });

  function same(uri: string, text: string): void {
    const live = engine.analyze(uri, settings);
    const freshUri = `${uri}.fresh.pyx`;
    fresh.open(freshUri, text, 1);
    const reference = fresh.analyze(freshUri, settings);
    fresh.close(freshUri);
    assert.ok(live && reference && live.diagnostics.length > 0);
    assert.deepEqual(live.diagnostics, JSON.parse(JSON.stringify(reference.diagnostics).replaceAll(freshUri, uri)));
    assert.deepEqual(live.annotations, reference.annotations);
  }

  it('is built without it; asked again, the model reads it; the next version is reused', () => {
    const uri = 'file:///first-iface/a.pyx';
    const s0 = documentModelStats(engine.session);
    engine.open(uri, TEXT, 1);
    engine.analyze(uri, settings);
    const s1 = documentModelStats(engine.session);
    assert.equal(s1.built, s0.built + 1);
    assert.equal(s1.interfaces, s0.interfaces, 'no interface read for the first report');
    engine.analyze(uri, settings, { rows: { first: 0, last: 3 } });
    assert.equal(documentModelStats(engine.session).interfaces, s0.interfaces + 1, 'read when asked again');
    engine.analyze(uri, settings);
    assert.equal(documentModelStats(engine.session).interfaces, s0.interfaces + 1, 'once');
    const text = TEXT.replace('return x / 2', 'return x / 3');
    engine.change(uri, 2, [{ text }]);
    same(uri, text);
    const s2 = documentModelStats(engine.session);
    assert.equal(s2.reused, s1.reused + 1, 'a body edit reuses the declarations');
    assert.equal(s2.interfaces, s0.interfaces + 2, 'the new version\'s interface');
    engine.close(uri);
  });

  it('reads it from the first version\'s tree when the next version comes first', () => {
    const uri = 'file:///first-iface/b.pyx';
    const s0 = documentModelStats(engine.session);
    engine.open(uri, TEXT, 1);
    engine.analyze(uri, settings);
    // a header edit: the first version's interface tells what changed (one C function: patched)
    const text = TEXT.replace('cdef double half(double x) nogil:', 'cdef double half(double x, double y=2) nogil:');
    engine.change(uri, 2, [{ text }]);
    same(uri, text);
    const s1 = documentModelStats(engine.session);
    assert.equal(s1.interfaces, s0.interfaces + 2, 'the first version\'s and the new one\'s');
    assert.equal(s1.built, s0.built + 1, 'built once (the first version)');
    assert.equal(s1.patched, s0.patched + 1);
    engine.close(uri);
  });
});
