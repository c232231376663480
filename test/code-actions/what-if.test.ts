/**
 * What-if (issue 17, item 5): for a yellow line, which directive would lower its score and to what, from the
 * annotator re-run with the directive set (annotations/what-if.ts); the code actions that set it on the enclosing
 * function or in the file header; and the prediction against the real compiler: the action's edit applied, the
 * edited file run through the plain annotator (the prediction must be what the annotator then says) and through
 * `cython -a` (the prediction's "score > 0" must be the compiler's on every line of the function).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeActionParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAnnotationHtml } from '../../server/src/annotations/cython-html';
import { WHAT_IF_DIRECTIVES } from '../../server/src/annotations/what-if';
import { analyses } from '../../server/src/checks';
import { codeActionFeature, codeActions } from '../../server/src/code-actions/code-action-feature';
import { SET_DIRECTIVE_KIND } from '../../server/src/code-actions/set-directive';
import { Engine } from '../../server/src/engine';
import type { TreeDocument } from '../../server/src/engine/check-types';
import { whatIfFor } from '../../server/src/features/what-if-request';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import type { WhatIfResult } from '../../shared/src/protocol';
import { estimate } from '../annotations/estimate-helpers';
import { VENV_PYTHON } from '../support/compiler';
import { REPO_ROOT } from '../support/paths';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'what-if', 'what_if.pyx');
const TEXT = fs.readFileSync(FIXTURE, 'utf8');
const lineOf = (needle: string): number => TEXT.split('\n').findIndex((l) => l.includes(needle));

/** `cython -3 -a` of a text: score per 0-based line. */
function compilerScores(text: string): Map<number, number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-what-if-'));
  try {
    const file = path.join(dir, 'what_if.pyx');
    fs.writeFileSync(file, text);
    execFileSync(VENV_PYTHON, ['-m', 'cython', '-3', '-a', file, '-o', path.join(dir, 'what_if.c')], { stdio: 'ignore' });
    return new Map(parseAnnotationHtml(fs.readFileSync(path.join(dir, 'what_if.html'), 'utf8')).map((l) => [l.line, l.score]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('what-if of a yellow line', () => {
  let engine: Engine;
  const uri = pathToFileURL(path.join(os.tmpdir(), 'cl-what-if', 'what_if.pyx')).href;
  const deps = () => ({
    document: (u: string) => engine.document(u), session: () => engine.session, settings: async () => defaultSettings(),
    log: () => undefined,
  });
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
    engine.open(uri, TEXT, 1);
  });
  after(() => engine?.dispose());

  const ask = (line: number): Promise<WhatIfResult> => whatIfFor(deps(), { textDocument: { uri }, line });
  const actionsAt = (line: number, only?: string[]): CodeAction[] => {
    const params: CodeActionParams = { textDocument: { uri }, range: { start: { line, character: 4 }, end: { line, character: 4 } },
      context: { diagnostics: [], ...(only ? { only } : {}) } };
    return codeActions(engine.session, engine.document(uri) as TreeDocument, defaultSettings(), params, (u) => engine.document(u));
  };

  it('names the directives that lower the line, on the function and for the file, with what each gives up', async () => {
    const w = await ask(lineOf('s += xs[i] / k'));
    assert.ok(w.score > 0);
    assert.equal(w.functionName, 'total');
    const names = new Set(w.options.map((o) => o.directive));
    assert.deepEqual([...names].sort(), ['boundscheck', 'cdivision']);
    for (const o of w.options) {
      assert.ok(o.lineScore < w.score && o.totalAfter < o.totalBefore, JSON.stringify(o));
      assert.ok(o.givesUp.length > 20);
    }
    assert.deepEqual(w.options.filter((o) => o.directive === 'boundscheck').map((o) => o.where), ['function', 'file']);
    // `n % k` of C longs: only cdivision helps
    assert.deepEqual((await ask(lineOf('s += n % k'))).options.map((o) => o.directive), ['cdivision', 'cdivision']);
    // a white line, a line outside the file, a line of an unopened file: nothing
    assert.deepEqual((await ask(lineOf('cdef double s = 0'))).options, []);
    assert.equal((await ask(10_000)).score, 0);
    assert.equal((await whatIfFor(deps(), { textDocument: { uri: `${uri}x` }, line: 1 })).score, 0);
  });

  it('lists the directives in force on the line', async () => {
    const w = await ask(lineOf('s += xs[0]'));
    assert.deepEqual(w.directives.map((d) => [d.name, d.value, d.source]), [['boundscheck', 'True', 'with']]);
    // inside `with cython.boundscheck(True):` a decorator does not help (the with block overrides it), nor a header
    assert.deepEqual(w.options, []);
    assert.deepEqual((await ask(lineOf('s += xs[1]'))).options.map((o) => o.where), ['function', 'file']);
  });

  it('offers the code actions on the line only (not for a quick-fix-only request) with the predicted totals', () => {
    const titles = actionsAt(lineOf('s += xs[i] / k')).map((a) => a.title);
    assert.ok(titles.some((t) => /^Set `@cython\.boundscheck\(False\)` on `total`: `total` score \d+ → \d+ \(line \d+ → \d+\); gives up: an out-of-bounds index is no longer caught \(memory corruption or a crash, not IndexError\)$/.test(t)), titles.join('\n'));
    assert.ok(titles.some((t) => /^Set `# cython: cdivision=True` for the file:/.test(t)), titles.join('\n'));
    assert.deepEqual(actionsAt(lineOf('s += xs[i] / k'), ['quickfix']), []);
    assert.equal(actionsAt(lineOf('s += xs[i] / k'), ['refactor']).length, titles.length);
    assert.deepEqual(actionsAt(lineOf('cdef double s = 0')), []);
    assert.ok(codeActionFeature.capabilities.codeActionProvider && typeof codeActionFeature.capabilities.codeActionProvider === 'object'
      && codeActionFeature.capabilities.codeActionProvider.codeActionKinds?.includes(SET_DIRECTIVE_KIND));
  });

  for (const [needle, fn, directive, where] of [
    ['s += xs[i] / k', 'def total', 'boundscheck', 'function'], ['s += xs[i] / k', 'def total', 'cdivision', 'file'],
    ['return self.buf[0]', 'def first', 'initializedcheck', 'function'],
    ['return m[m.shape[0] - 1, -1]', 'def last', 'boundscheck', 'file'],
    // slices of memoryview attributes: the attribute's initialisation check is the line's only cost
    ['self.buf[:] = 0', 'def clear', 'initializedcheck', 'function'],
    ['self.grid[:, n] = 1', 'def clear', 'initializedcheck', 'file'],
    ['self.grid[:, n] = 1', 'def clear', 'boundscheck', 'function'],
    // the function no longer raises, but its def line stays yellow: the Python local is released there
    ['h.buf[:] = v', 'cdef void reset', 'initializedcheck', 'function'],
  ] as const) {
    it(`${directive} ${where === 'function' ? 'on the function' : 'in the header'} (${needle}): the prediction is the annotator's and the compiler's`, async () => {
      const line = lineOf(needle);
      const w = await ask(line);
      const option = w.options.find((o) => o.directive === directive && o.where === where);
      assert.ok(option, JSON.stringify(w.options));
      const action = actionsAt(line).find((a) => a.title.startsWith(where === 'function' ? `Set \`@cython.${directive}(` : `Set \`# cython: ${directive}=`));
      assert.ok(action?.edit?.changes?.[uri], 'no action');
      const edits = action.edit.changes[uri]!;
      const edited = TextDocument.applyEdits(TextDocument.create(uri, 'cython', 0, TEXT), edits);
      const shift = edited.split('\n').length - TEXT.split('\n').length; // lines inserted above the function
      // the plain annotator on the edited text says what the what-if said
      const est = new Map((await estimate(edited)).map((a) => [a.line, a.score]));
      assert.equal(est.get(line + shift) ?? 0, option.lineScore);
      const lines = TEXT.split('\n');
      const fnStart = lineOf(fn);
      const indent = lines[fnStart]!.search(/\S/);
      let fnEnd = fnStart;
      while (fnEnd + 1 < lines.length && (lines[fnEnd + 1]!.trim() === '' || lines[fnEnd + 1]!.search(/\S/) > indent)) fnEnd++;
      let totalAfter = 0;
      // a new decorator line is part of the function: the compiler (and the annotator) put the def line's costs there
      const first = fnStart + shift - (where === 'function' ? 1 : 0);
      for (let i = first; i <= fnEnd + shift; i++) totalAfter += est.get(i) ?? 0;
      assert.equal(totalAfter, option.totalAfter);
      // the compiler agrees on which lines of the function interact with Python after the change
      const real = compilerScores(edited);
      const disagree: string[] = [];
      const editedLines = edited.split('\n');
      for (let i = first; i <= fnEnd + shift; i++) {
        if ((real.get(i) ?? 0) > 0 !== (est.get(i) ?? 0) > 0) disagree.push(`${i + 1}: real ${real.get(i) ?? 0} est ${est.get(i) ?? 0} | ${editedLines[i]!.trim()}`);
      }
      assert.deepEqual(disagree, []);
      assert.equal((real.get(line + shift) ?? 0) > 0, option.lineScore > 0);
    });
  }

  it('offers only directives that trade a check for speed', () => {
    assert.deepEqual(WHAT_IF_DIRECTIVES.map((d) => `${d.name}=${d.value}`),
      ['boundscheck=false', 'wraparound=false', 'initializedcheck=false', 'cdivision=true']);
  });
});
