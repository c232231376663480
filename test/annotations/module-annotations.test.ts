/**
 * The annotator's report is assembled from each unit's costs grouped by line (static-annotator.ts moduleAnnotations):
 * it must equal the grouping of every cost of the module at once (toAnnotations of moduleCosts), also where several
 * units score one line (two statements on a line, the module initialisation on line 0, class-level code between
 * methods), and after edits that move units or change some of them (cached units placed at new rows).
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Engine } from '../../server/src/engine/engine';
import { AnnotatorCache } from '../../server/src/annotations/annotator-cache';
import { createStaticAnnotator, moduleCosts } from '../../server/src/annotations/static-annotator';
import { DEFAULT_DIRECTIVES } from '../../server/src/annotations/directives';
import { toAnnotations } from '../../server/src/annotations/line-costs';
import { documentModel } from '../../server/src/model/document-model';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { fixture } from '../support/paths';

const SHARED_LINES = [
  'import numpy as np',
  'x = np.zeros(3); y = np.ones(2); z = len(x)',
  'cdef class A:',
  '    a = np.sum(1)',
  '    def f(self): return np.sum(2)',
  '    b = np.max(3); c = np.min(4)',
  '    def g(self): return np.arange(5)',
  '    d = [np.sum(i) for i in range(3)]',
  'def h(v):',
  '    """>>> h(1)"""',
  '    return v + np.sum(v)',
  '',
].join('\n');

const VERSIONS = [
  SHARED_LINES,
  `# moved\n${SHARED_LINES}`,
  `# moved\n${SHARED_LINES.replace('np.ones(2)', 'np.ones(2) + np.sum(x)')}`,
  `${SHARED_LINES}\n${fixture('kernels.pyx')}`,
  `${fixture('kernels.pyx')}\n${SHARED_LINES.replace('def g(self)', 'def g(self, int k)')}`,
  `${fixture('kernels.pyx')}\n\n${SHARED_LINES.replace('def g(self)', 'def g(self, int k)')}`,
];

describe('module annotations from per-unit lines', () => {
  it('equal every cost grouped at once, version after version', async () => {
    const cache = new AnnotatorCache();
    const engine = await Engine.create({ checks: [], annotators: [createStaticAnnotator({ cache })], log: () => {}, timeBudgetMs: 600_000 });
    const uri = pathToFileURL(path.join(os.tmpdir(), 'cl-module-annotations.pyx')).href;
    const settings = defaultSettings();
    try {
      let version = 1;
      let shared = 0;
      for (const text of [...VERSIONS, ...VERSIONS.slice().reverse()]) {
        if (version === 1) engine.open(uri, text, version++);
        else engine.change(uri, version++, [{ text }]);
        const report = engine.analyze(uri, settings)!;
        const doc = engine.document(uri)!;
        const model = documentModel(engine.session, doc as Parameters<typeof documentModel>[1], settings.includeDirs, settings.directives);
        const all = toAnnotations(moduleCosts(model, doc.tree!.rootNode, doc.text, DEFAULT_DIRECTIVES));
        assert.deepEqual(report.annotations, all, `version ${version - 1}`);
        assert.ok(report.annotations.length > 0);
        shared += report.annotations.filter((a) => a.reasons.length > 1).length;
      }
      assert.ok(shared > 0, 'some lines have reasons from several costs');
    } finally {
      engine.dispose();
    }
  });
});
