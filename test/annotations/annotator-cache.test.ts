/** Re-scoring after an edit walks only the edited top-level definition; moved definitions are reused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/engine';
import { AnnotatorCache } from '../../server/src/annotations/annotator-cache';
import { createStaticAnnotator, moduleCosts } from '../../server/src/annotations/static-annotator';
import { DEFAULT_DIRECTIVES } from '../../server/src/annotations/directives';
import { documentModel } from '../../server/src/model/document-model';
import { defaultSettings } from '../../server/src/settings/validate-settings';

function program(extraLine: string, body: string): string {
  return [
    'import numpy as np',
    ...(extraLine ? [extraLine] : []),
    'def a(x):',
    '    return np.sum(x)',
    '',
    'def b(int n):',
    `    ${body}`,
    '',
    'cdef double c(double[:] v):',
    '    return v[0]',
  ].join('\n');
}

describe('per-definition annotation cache', () => {
  it('after an edit only the edited definition is recomputed, and the result equals a fresh run', async () => {
    const cache = new AnnotatorCache();
    const annotator = createStaticAnnotator({ cache });
    const engine = await Engine.create({ checks: [], annotators: [annotator], log: () => {}, timeBudgetMs: 60_000 });
    const uri = pathToFileURL(path.join(os.tmpdir(), 'cl-annot-cache.pyx')).href;
    const settings = defaultSettings();
    try {
      engine.open(uri, program('', 'return n'), 1);
      engine.analyze(uri, settings);
      const statements = cache.misses;
      assert.ok(statements >= 4, `first run walks every statement (${statements})`);

      // edit inside b only
      engine.change(uri, 2, [{ text: program('', 'return np.arange(n)') }]);
      cache.hits = 0;
      cache.misses = 0;
      const edited = engine.analyze(uri, settings)!;
      assert.equal(cache.misses, 1, 'only `b` is walked again');

      // a line inserted above: everything moves, nothing is recomputed, scores move with their lines
      engine.change(uri, 3, [{ text: program('# a comment that moves everything down', 'return np.arange(n)') }]);
      cache.hits = 0;
      cache.misses = 0;
      const moved = engine.analyze(uri, settings)!;
      assert.equal(cache.misses, 0);
      // line 0 (module initialisation) stays; the import on line 0 stays; the rest moves down one line
      const shifted = edited.annotations.map((l) => ({ ...l, line: l.line === 0 ? 0 : l.line + 1 }));
      assert.deepEqual(moved.annotations, shifted);

      // the same text through an uncached annotator gives the same scores
      const fresh = await Engine.create({ checks: [], annotators: [createStaticAnnotator()], log: () => {}, timeBudgetMs: 60_000 });
      fresh.open(uri, program('# a comment that moves everything down', 'return np.arange(n)'), 3);
      assert.deepEqual(fresh.analyze(uri, settings)!.annotations, moved.annotations);
      fresh.dispose();
    } finally {
      engine.dispose();
    }
  });

  it('a changed module-level declaration invalidates the definitions that may depend on it', async () => {
    const cache = new AnnotatorCache();
    const engine = await Engine.create({ checks: [], annotators: [createStaticAnnotator({ cache })], log: () => {}, timeBudgetMs: 60_000 });
    const uri = pathToFileURL(path.join(os.tmpdir(), 'cl-annot-cache2.pyx')).href;
    try {
      engine.open(uri, 'cdef int k = 3\ndef f():\n    return k\n', 1);
      const before = engine.analyze(uri, defaultSettings())!;
      engine.change(uri, 2, [{ text: 'k = 3\ndef f():\n    return k\n' }]);
      cache.misses = 0;
      const after = engine.analyze(uri, defaultSettings())!;
      assert.equal(cache.misses, 2, 'the declaration changed: both statements are walked again');
      const reasons = (a: typeof before): string[] => a.annotations.find((l) => l.line === 2)?.reasons ?? [];
      assert.ok(reasons(before).some((r) => r.includes('converted to a Python int')), reasons(before).join('|'));
      assert.ok(reasons(after).some((r) => r.includes('Python global lookup `k`')), reasons(after).join('|'));
    } finally {
      engine.dispose();
    }
  });

  it('a run stopped at the deadline keeps what it computed: the next run continues from there', async () => {
    const engine = await Engine.create({ checks: [], annotators: [], log: () => {}, timeBudgetMs: 60_000 });
    const uri = pathToFileURL(path.join(os.tmpdir(), 'cl-annot-partial.pyx')).href;
    try {
      const doc = engine.open(uri, program('', 'return n'), 1);
      if (!doc.tree) throw new Error('no tree');
      const model = documentModel(engine.session, { uri, version: 1, tree: doc.tree });
      const cache = new AnnotatorCache();
      let polls = 0;
      const partial = moduleCosts(model, doc.tree.rootNode, doc.text, DEFAULT_DIRECTIVES, { uri, cache },
        () => ++polls > 2);
      const walkedFirst = cache.misses;
      assert.equal(walkedFirst, 2, 'two statements before the deadline');
      cache.misses = 0;
      const full = moduleCosts(model, doc.tree.rootNode, doc.text, DEFAULT_DIRECTIVES, { uri, cache });
      assert.equal(cache.hits, 2, 'the statements of the stopped run are reused');
      assert.ok(cache.misses >= 2);
      assert.ok(full.length > partial.length);
    } finally {
      engine.dispose();
    }
  });
});
