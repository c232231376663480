/**
 * A multi-root workspace over LSP: two workspace folders with the same relative `cythonLens.includeDirs`
 * (['include', '../common'], resolved against each folder) and a .pxd they share whose cimport each resolves in its
 * own include dir (support/two-projects.ts). Each document gets its own project's answer, the compiler's, whichever
 * was analysed first and after edits of the other: the include dirs of the last document analysed decide nothing.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { LspPair } from '../support/lsp-pair';
import { CALL_IN_NOGIL, GIL_REQUIRING_CALL, type Project, type TwoProjects, makeTwoProjects } from '../support/two-projects';

describe('multi-root workspace: each folder resolves cimports with its own include dirs', () => {
  let projects: TwoProjects;
  let pair: LspPair;
  before(() => {
    projects = makeTwoProjects();
  });
  after(() => projects.dispose());
  afterEach(() => pair?.dispose());

  async function start(): Promise<void> {
    pair = new LspPair({ debounceMs: 5, features: [] });
    pair.config = { includeDirs: ['include', '../common'] };
    await pair.initialize(undefined, [
      { uri: projects.a.folderUri, name: 'projA' },
      { uri: projects.b.folderUri, name: 'projB' },
    ]);
  }

  /** A: no error, every cimport resolved; B: the compiler's error on the call (m.pyx:4:17). */
  function assertOwnAnswer(p: Project, diagnostics: Diagnostic[]): void {
    const shown = JSON.stringify(diagnostics.map((d) => [d.range.start, d.code, d.message]));
    assert.deepEqual(diagnostics.filter((d) => d.code === 'unresolved-cimport'), [], shown);
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    if (p === projects.a) {
      assert.deepEqual(errors, [], `project A: helper is nogil there: ${shown}`);
    } else {
      assert.equal(errors.length, 1, `project B: helper needs the GIL there: ${shown}`);
      assert.equal(errors[0]?.message, GIL_REQUIRING_CALL);
      assert.deepEqual(errors[0]?.range.start, { line: 3, character: 17 });
    }
  }

  for (const order of ['a', 'b'] as const) {
    it(`project ${order.toUpperCase()} opened first, then the other, then the first edited`, async () => {
      await start();
      const first = order === 'a' ? projects.a : projects.b;
      const second = order === 'a' ? projects.b : projects.a;
      await pair.open(first.uri, CALL_IN_NOGIL, 1);
      assertOwnAnswer(first, (await pair.diagnostics(first.uri, 1)).diagnostics);
      await pair.open(second.uri, CALL_IN_NOGIL, 1);
      assertOwnAnswer(second, (await pair.diagnostics(second.uri, 1)).diagnostics);
      // the first document analysed again after the second: still its own include dirs
      const end = CALL_IN_NOGIL.split('\n').length - 1;
      await pair.change(first.uri, 2, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, text: '# edited\n' }]);
      assertOwnAnswer(first, (await pair.diagnostics(first.uri, 2)).diagnostics);
      await pair.change(second.uri, 2, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, text: '# edited\n' }]);
      assertOwnAnswer(second, (await pair.diagnostics(second.uri, 2)).diagnostics);
    });
  }
});
