/**
 * Classes analysed member by member (engine/definition-units.ts) give exactly the diagnostics and line scores of
 * the analysis of whole statements, on real code; and a keystroke in one method re-analyses that method only.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { gilCacheStats } from '../../server/src/checks/gil-check';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { REPO_ROOT } from '../support/paths';
import { corpusDir } from '../fuzz/real-files';
import { analyses } from '../../server/src/checks';

function cythonFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) cythonFiles(p, out);
    else if (/\.pyx$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const CLASS = [
  'cdef class Acc:',
  '    cdef double total',
  '    cdef public int n',
  '',
  '    def __init__(self):',
  '        self.total = 0',
  '',
  '    cdef void add(self, double x) noexcept nogil:',
  '        self.total += x',
  '        self.n += 1',
  '',
  '    def mean(self):',
  '        with nogil:',
  '            return self.total / self.n',
  '',
].join('\n');

describe('class members as units', () => {
  it('same diagnostics and scores as whole statements, on the examples and scikit-learn', async () => {
    const files = [...cythonFiles(path.join(REPO_ROOT, 'examples')), ...cythonFiles(path.join(corpusDir(), 'scikit-learn-1.9.1', 'sklearn'))];
    assert.ok(files.length >= 3);
    let classes = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (/^(cdef )?class /m.test(text)) classes++;
      const report = async (split: boolean): Promise<string> => {
        // no time budget to speak of: a run cut short by the default 2 s (a cold analysis of _cd_fast.pyx took 5.7 s
        // at load 20) would differ from the other for that reason alone
        const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 600_000,
          session: { splitClasses: split } });
        try {
          const uri = `file:///units/${split ? 'split' : 'whole'}/${path.basename(file)}`;
          engine.open(uri, text, 1);
          const r = engine.analyze(uri, defaultSettings());
          return JSON.stringify({ d: r?.diagnostics, a: r?.annotations }).replaceAll(uri, '<uri>');
        } finally {
          engine.dispose();
        }
      };
      assert.equal(await report(true), await report(false), file);
    }
    assert.ok(classes >= 1, 'some files have classes');
  });

  it('member units of a class with call errors in several places and an incomplete layout: the whole statement\'s report', async () => {
    // each unit's call check sweeps only its own code (a method, or the class without its methods); the GIL check's
    // note on an incomplete class is the class's own unit's (the methods' units skip it)
    const text = [
      'cdef int two(int a, int b) noexcept nogil:',
      '    return a + b',
      '',
      '',
      'cdef class E:',
      '    k = two(1)',
      '',
      '    cdef int f(self) noexcept nogil:',
      '        return two(1, 2, 3) + self.missing',
      '',
      '    def g(self):',
      '        return two(4) + self.other',
      '',
      '    cdef int h(self) noexcept nogil:',
      '        return two(5, 6)',
      '',
    ].join('\n');
    const report = async (split: boolean): Promise<{ codes: string[]; json: string }> => {
      const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 600_000, session: { splitClasses: split } });
      try {
        const uri = `file:///units/${split ? 'split' : 'whole'}/e.pyx`;
        engine.open(uri, text, 1);
        const r = engine.analyze(uri, defaultSettings());
        return { codes: (r?.diagnostics ?? []).map((d) => `${d.range.start.line}:${String(d.code)}`),
          json: JSON.stringify({ d: r?.diagnostics, a: r?.annotations }).replaceAll(uri, '<uri>') };
      } finally {
        engine.dispose();
      }
    };
    const split = await report(true);
    assert.equal(split.json, (await report(false)).json);
    // the class-level call, the calls of f and g, and the note on the class (its attributes may be in e.pxd)
    for (const expected of ['5:call-arguments', '8:call-arguments', '11:call-arguments', '4:incomplete-class-layout']) {
      assert.ok(split.codes.includes(expected), `${expected} in ${JSON.stringify(split.codes)}`);
    }
    assert.equal(split.codes.filter((c) => c.endsWith('call-arguments')).length, 3, JSON.stringify(split.codes));
  });

  it('a keystroke in one method re-walks that method only, with the result of a fresh analysis', async () => {
    const engine = await Engine.create({ ...analyses, log: () => undefined });
    const uri = 'file:///units/acc.pyx';
    try {
      engine.open(uri, CLASS, 1);
      engine.analyze(uri, defaultSettings());
      const before = gilCacheStats(engine.session, uri)?.misses ?? 0;
      const edited = CLASS.replace('self.n += 1', 'self.n += 2');
      engine.change(uri, 2, [{ text: edited }]);
      const live = engine.analyze(uri, defaultSettings());
      // the class's own unit (its text changed) and the edited method
      assert.equal((gilCacheStats(engine.session, uri)?.misses ?? 0) - before, 2);
      engine.open('file:///units/fresh.pyx', edited, 1);
      const fresh = engine.analyze('file:///units/fresh.pyx', defaultSettings());
      assert.equal(JSON.stringify(live?.diagnostics), JSON.stringify(fresh?.diagnostics).replaceAll('fresh.pyx', 'acc.pyx'));
      assert.deepEqual(live?.annotations, fresh?.annotations);
      assert.ok(live?.diagnostics.some((d) => /self\.total \/ self\.n|Python|GIL/i.test(d.message)) ?? false,
        JSON.stringify(live?.diagnostics.map((d) => d.message)));
    } finally {
      engine.dispose();
    }
  });
});
