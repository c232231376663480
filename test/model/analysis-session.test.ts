/**
 * The analysis session (model/analysis-session.ts) is the Engine's: documents with different include dirs each
 * resolve their own cimports in one engine, whatever the order; two engines in one process share nothing (Python
 * environment, resolvers, document models, per-definition caches, options), so analysing in one never changes what
 * the other says or holds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { gilCacheStats } from '../../server/src/checks/gil-check';
import { Engine } from '../../server/src/engine';
import { documentModelStats } from '../../server/src/model/document-model';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { VENV_PYTHON } from '../support/compiler';
import { CALL_IN_NOGIL, GIL_REQUIRING_CALL, type Project, type TwoProjects, makeTwoProjects } from '../support/two-projects';
import { analyses } from '../../server/src/checks';

const settingsOf = (p: Project): ReturnType<typeof defaultSettings> => ({ ...defaultSettings(), includeDirs: p.includeDirs });
const errors = (ds: readonly Diagnostic[] | undefined): string[] =>
  (ds ?? []).filter((d) => d.severity === 1).map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`);
const B_ERROR = [`3:17 ${GIL_REQUIRING_CALL}`];

const LIBC = 'from libc.math cimport sqrt\n\ncdef double f(double x) noexcept nogil:\n    return sqrt(x)\n';

const CLASS = [
  'cdef class Acc:',
  '    cdef double total',
  '    def add(self, double x):',
  '        self.total += x',
  '    def mean(self):',
  '        return self.total',
  '',
].join('\n');

describe('analysis session', () => {
  let projects: TwoProjects;
  before(() => {
    projects = makeTwoProjects();
  });
  after(() => projects.dispose());

  it('one engine: each document resolves with its own include dirs, in either order and after edits', async () => {
    for (const order of [[projects.a, projects.b], [projects.b, projects.a]]) {
      const engine = await Engine.create({ ...analyses, log: () => undefined });
      try {
        const expected = (p: Project): string[] => (p === projects.b ? B_ERROR : []);
        for (const p of order) engine.open(p.uri, CALL_IN_NOGIL, 1);
        for (const p of [...order, ...order]) {
          assert.deepEqual(errors(engine.analyze(p.uri, settingsOf(p))?.diagnostics), expected(p), p.uri);
        }
        const [first] = order as [Project, Project];
        engine.change(first.uri, 2, [{ text: `${CALL_IN_NOGIL}# edited\n` }]);
        assert.deepEqual(errors(engine.analyze(first.uri, settingsOf(first))?.diagnostics), expected(first));
        // one resolver per list of include dirs
        assert.equal(engine.session.resolverCount(), 2);
      } finally {
        engine.dispose();
      }
    }
  });

  it('two engines: their own Python environment', async () => {
    const withPython = await Engine.create({ ...analyses, log: () => undefined });
    const without = await Engine.create({ ...analyses, log: () => undefined });
    try {
      await withPython.session.discover(VENV_PYTHON);
      assert.equal(without.session.pythonEnvironment, undefined);
      const unresolved = (e: Engine): number => {
        e.open('file:///session/libc.pyx', LIBC, 1);
        const r = e.analyze('file:///session/libc.pyx', defaultSettings());
        e.close('file:///session/libc.pyx');
        assert.equal(r?.status.state, 'ok');
        return r?.diagnostics.filter((d) => d.code === 'unresolved-cimport').length ?? -1;
      };
      assert.equal(unresolved(withPython), 0, "libc.math found in Cython's includes");
      assert.equal(unresolved(without), 1, 'no Python environment: libc.math is not found');
      assert.equal(unresolved(withPython), 0);
      assert.equal(without.session.pythonEnvironment, undefined);
    } finally {
      withPython.dispose();
      without.dispose();
    }
  });

  it('two engines: the same document with other include dirs, caches and closing apart, one disposed', async () => {
    const one = await Engine.create({ ...analyses, log: () => undefined });
    const two = await Engine.create({ ...analyses, log: () => undefined });
    const uri = projects.a.uri;
    try {
      one.open(uri, CALL_IN_NOGIL, 1);
      two.open(uri, CALL_IN_NOGIL, 1);
      assert.deepEqual(errors(one.analyze(uri, settingsOf(projects.a))?.diagnostics), []);
      assert.equal(gilCacheStats(two.session, uri), undefined, "one's analysis fills none of two's caches");
      assert.deepEqual(documentModelStats(two.session), { built: 0, reused: 0, moved: 0, patched: 0, interfaces: 0 });
      // the same URI and text with project B's include dirs in the other engine: B's answer
      assert.deepEqual(errors(two.analyze(uri, settingsOf(projects.b))?.diagnostics), B_ERROR);
      const builtByOne = documentModelStats(one.session).built;
      assert.deepEqual(errors(one.analyze(uri, settingsOf(projects.a))?.diagnostics), []);
      assert.equal(documentModelStats(one.session).built, builtByOne, "one's model was kept while two analysed");
      assert.deepEqual(errors(two.analyze(uri, settingsOf(projects.b))?.diagnostics), B_ERROR);
      // closing in one drops one's caches only
      one.close(uri);
      assert.equal(gilCacheStats(one.session, uri), undefined);
      assert.notEqual(gilCacheStats(two.session, uri), undefined);
      // disposing one (its parser, resolvers, caches) leaves two working
      one.dispose();
      two.change(uri, 2, [{ text: `${CALL_IN_NOGIL}# edited\n` }]);
      assert.deepEqual(errors(two.analyze(uri, settingsOf(projects.b))?.diagnostics), B_ERROR);
    } finally {
      one.dispose();
      two.dispose();
    }
  });

  it('two engines: their own options (classes split into methods or not)', async () => {
    const split = await Engine.create({ ...analyses, log: () => undefined });
    const whole = await Engine.create({ ...analyses, log: () => undefined, session: { splitClasses: false } });
    const uri = 'file:///session/acc.pyx';
    try {
      const rewalked = (e: Engine): number => {
        e.open(uri, CLASS, 1);
        e.analyze(uri, defaultSettings());
        const before = gilCacheStats(e.session, uri)?.misses ?? 0;
        e.change(uri, 2, [{ text: CLASS.replace('return self.total', 'return self.total * 2') }]);
        e.analyze(uri, defaultSettings());
        return (gilCacheStats(e.session, uri)?.misses ?? 0) - before;
      };
      assert.equal(rewalked(split), 2, 'the class header unit and the edited method');
      assert.equal(rewalked(whole), 1, 'the whole class statement');
      assert.equal(split.session.splitClasses, true);
    } finally {
      split.dispose();
      whole.dispose();
    }
  });
});
