/**
 * The code actions over LSP (textDocument/codeAction): which actions each diagnostic code gets, which one is
 * preferred, and that none is offered where the fix would be wrong.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { codeActionFeature } from '../../server/src/code-actions/code-action-feature';
import { SET_DIRECTIVE_KIND } from '../../server/src/code-actions/set-directive';
import { defaultFeatures } from '../../server/src/server';
import { CodeActionSession, workspace } from './harness';

interface Offer {
  code: string;
  titles: string[];
  preferred: string | undefined;
}

describe('code actions over LSP', () => {
  let session: CodeActionSession;
  before(async () => {
    session = await CodeActionSession.create();
  });
  after(() => session?.dispose());

  /** For every diagnostic of the file: the titles offered and the preferred one. */
  async function offers(dir: string, file: string): Promise<Offer[]> {
    const { uri, diagnostics } = session.open(dir, file);
    const out: Offer[] = [];
    for (const d of diagnostics) {
      // the what-if actions of a yellow line (set-directive.ts, tested in what-if.test.ts) answer no diagnostic
      const actions = (await session.actions(uri, [d])).filter((a) => a.kind !== SET_DIRECTIVE_KIND);
      for (const a of actions) assert.deepEqual(a.diagnostics, [d], `${a.title}: diagnostics not set`);
      for (const a of actions) assert.ok(a.edit?.changes && Object.keys(a.edit.changes).length > 0, `${a.title}: no edit`);
      out.push({ code: String(d.code), titles: actions.map((a) => a.title),
        preferred: actions.find((a) => a.isPreferred)?.title });
    }
    return out;
  }

  function offered(list: Offer[], code: string): Offer[] {
    return list.filter((o) => o.code === code);
  }

  it('is registered as a feature and announces quick fixes and the fix-all source action', () => {
    assert.ok(defaultFeatures.includes(codeActionFeature));
    assert.deepEqual(codeActionFeature.capabilities.codeActionProvider,
      { codeActionKinds: ['quickfix', 'source.fixAll.cythonLens', SET_DIRECTIVE_KIND], resolveProvider: false });
  });

  const TABLE: { fixture: string; file: string; code: string; titles: string[]; preferred: string }[] = [
    { fixture: 'noexcept-definition', file: 'scale.pyx', code: 'exception-check-definition',
      titles: ['Declare `scale` noexcept'], preferred: 'Declare `scale` noexcept' },
    { fixture: 'noexcept-definition', file: 'scale.pyx', code: 'exception-check-requires-gil',
      titles: ['Declare `scale` noexcept'], preferred: 'Declare `scale` noexcept' },
    { fixture: 'make-nogil', file: 'twice.pyx', code: 'nogil-gil-requiring-call',
      titles: ['Make `twice` noexcept nogil', 'Make `twice` nogil', 'Wrap in `with gil:`'],
      preferred: 'Make `twice` noexcept nogil' },
    { fixture: 'make-nogil-other-file', file: 'main.pyx', code: 'nogil-gil-requiring-call',
      titles: ['Make `twice` noexcept nogil', 'Make `twice` nogil', 'Wrap in `with gil:`'],
      preferred: 'Make `twice` noexcept nogil' },
    { fixture: 'wrap-with-gil', file: 'report.pyx', code: 'nogil-python-conversion', titles: ['Wrap in `with gil:`'],
      preferred: 'Wrap in `with gil:`' },
    { fixture: 'hoist-transition', file: 'hoist.pyx', code: 'gil-transition-in-loop',
      titles: ['Hoist `with nogil:` out of the loop'], preferred: 'Hoist `with nogil:` out of the loop' },
    { fixture: 'typed-index', file: 'index.pyx', code: 'untyped-index', titles: ['Declare `i` as `cdef Py_ssize_t i`'],
      preferred: 'Declare `i` as `cdef Py_ssize_t i`' },
    // checked_double raises: an exception value, never noexcept
    { fixture: 'exception-value', file: 'main.pyx', code: 'exception-check-requires-gil',
      titles: ['Declare `checked_double` with `except? -1`'], preferred: 'Declare `checked_double` with `except? -1`' },
    { fixture: 'address-of', file: 'addr.pyx', code: 'call-arguments', titles: ['Pass the address: `&y`'],
      preferred: 'Pass the address: `&y`' },
    { fixture: 'nogil-placement', file: 'place.pyx', code: 'nogil-placement',
      titles: ['Move `nogil` to the end of the signature'], preferred: 'Move `nogil` to the end of the signature' },
  ];
  for (const row of TABLE) {
    it(`${row.code} (${row.fixture}): ${row.titles.join(' | ')}`, async () => {
      const got = offered(await offers(workspace(row.fixture), row.file), row.code);
      assert.notEqual(got.length, 0, `no ${row.code} diagnostic`);
      for (const o of got) {
        assert.deepEqual(o.titles, row.titles);
        assert.equal(o.preferred, row.preferred);
      }
    });
  }

  it('never offers noexcept for a function that raises, calls a raising function or divides', async () => {
    const dir = workspace({ 'raisers.pyx': [
      'cimport cython', '',
      'cdef void check(int n) nogil:', '    if n < 0:', '        with gil:', '            raise ValueError("negative")', '',
      'cdef void calls_raiser(int n) nogil:', '    check(n)', '',
      'cdef void divides(int* a, int b) nogil:', '    a[0] = a[0] // b', '',
      'cdef void indexes(double[:] a) nogil:', '    a[0] = 1', '',
      '@cython.cdivision(True)', 'cdef void divides_in_c(int* a, int b) nogil:', '    a[0] = a[0] // b', '',
      'def run(int n, double[:] a):', '    cdef int k = 1', '    with nogil:', '        check(n)', '        calls_raiser(n)',
      '        divides(&k, n)', '        indexes(a)', '        divides_in_c(&k, n)', ''].join('\n') });
    const all = await offers(dir, 'raisers.pyx');
    const hints = all.filter((o) => o.code.startsWith('exception-check'));
    assert.equal(hints.length, 11, JSON.stringify(all)); // as many as `cython -3` gives for this file
    for (const o of hints) {
      const isCdivision = o.titles.some((t) => t.includes('divides_in_c'));
      if (isCdivision) assert.deepEqual(o.titles, ['Declare `divides_in_c` noexcept']);
      else assert.deepEqual(o.titles, [], JSON.stringify(o));
    }
    assert.equal(hints.filter((o) => o.titles.length > 0).length, 2);
  });

  it('does not offer "Make `f` nogil" when f needs the GIL; wrapping the call is preferred then', async () => {
    const dir = workspace({ 'show.pyx': ['cdef double show(double x):', '    print(x)', '    return x', '',
      'def run(double v):', '    cdef double r', '    with nogil:', '        r = show(v)', '    return r', ''].join('\n') });
    const [call] = offered(await offers(dir, 'show.pyx'), 'nogil-gil-requiring-call');
    assert.deepEqual(call, { code: 'nogil-gil-requiring-call', titles: ['Wrap in `with gil:`'],
      preferred: 'Wrap in `with gil:`' });
  });

  it('offers each distinct fix once for several diagnostics on one line, listing all of them', async () => {
    const dir = workspace({ 'many.pyx': ['cdef double show(double x):', '    print(x)', '    return x', '',
      'def run(double v):', '    cdef double r', '    with nogil:', '        r = show(v) + show(v) + show(v)', '    return r',
      ''].join('\n') });
    const { uri, diagnostics } = session.open(dir, 'many.pyx');
    const onLine = diagnostics.filter((d) => d.range.start.line === 7 && d.code === 'nogil-gil-requiring-call');
    assert.equal(onLine.length, 3, JSON.stringify(diagnostics));
    const actions = (await session.actions(uri, onLine)).filter((a) => a.kind !== SET_DIRECTIVE_KIND);
    const wraps = actions.filter((a) => a.title === 'Wrap in `with gil:`');
    assert.equal(wraps.length, 1, actions.map((a) => a.title).join(', '));
    assert.equal(wraps[0]!.diagnostics?.length, 3);
    assert.equal(new Set(actions.map((a) => a.title)).size, actions.length);
  });

  it('does not offer to edit functions of `cdef extern` blocks', async () => {
    const dir = workspace({ 'ext.pyx': ['cdef extern from "math.h":', '    double sin(double x)', '',
      'def run(double v):', '    cdef double r', '    with nogil:', '        r = sin(v)', '    return r', ''].join('\n') });
    const [call] = offered(await offers(dir, 'ext.pyx'), 'nogil-gil-requiring-call');
    assert.deepEqual(call?.titles, ['Wrap in `with gil:`']);
  });

  it('does not hoist `with nogil:` out of a Python loop or out of a loop with other statements', async () => {
    const dir = workspace({ 'loops.pyx': ['def run(list items, double[:] a, int n):', '    cdef double s = 0',
      '    cdef int k', '    for item in items:', '        with nogil:', '            s += a[0]',
      '    for k in range(n):', '        s += 1', '        with nogil:', '            s += a[k]', '    return s', ''].join('\n') });
    const hints = offered(await offers(dir, 'loops.pyx'), 'gil-transition-in-loop');
    assert.equal(hints.length, 2);
    for (const h of hints) assert.deepEqual(h.titles, []);
  });

  it('types only untyped locals: not parameters, not locals bound to other things', async () => {
    const dir = workspace({ 'idx.pyx': ['def get(double[:] a, idx, list L):', '    for j in L:', '        a[j] = 0',
      '    k = None', '    for k in range(3):', '        a[k] = 1', '    return a[idx]', ''].join('\n') });
    const hints = offered(await offers(dir, 'idx.pyx'), 'untyped-index');
    assert.deepEqual(hints.map((h) => h.titles), [
      ['Declare `j` as `cdef Py_ssize_t j`'], // a loop over a list: offered, not preferred
      [], // k is also bound to None
      [], // idx is a parameter
    ]);
    assert.equal(hints[0].preferred, undefined);
  });

  it('filters by the requested kinds: quick fixes vs. source.fixAll', async () => {
    const dir = workspace('fix-all');
    const { uri, diagnostics } = session.open(dir, 'combined.pyx');
    const quick = await session.actions(uri, diagnostics, ['quickfix']);
    // every diagnostic is fixed by some action (identical fixes of several diagnostics are one action listing them)
    const covered = new Set(quick.flatMap((a) => (a.diagnostics ?? []).map((d) => JSON.stringify(d))));
    for (const d of diagnostics) assert.ok(covered.has(JSON.stringify(d)), `no quick fix lists ${d.message}`);
    assert.ok(quick.every((a: CodeAction) => a.kind === 'quickfix'));
    const source = await session.actions(uri, diagnostics, ['source']);
    assert.deepEqual(source.map((a) => a.kind), ['source.fixAll.cythonLens']);
    // a refactoring request gets no quick fix (only the what-if actions of the yellow line the range starts on)
    const refactor = await session.actions(uri, diagnostics, ['refactor']);
    assert.ok(refactor.every((a: CodeAction) => a.kind === SET_DIRECTIVE_KIND && !a.diagnostics), JSON.stringify(refactor));
  });

  it('"Fix all" leaves what changes behaviour to the user: no `with gil:` wrap, no callee made nogil', async () => {
    const dir = workspace({ 'mixed.pyx': ['cdef int half(int a) nogil except -1:', '    return a >> 1', '',
      'cdef double show(double x):', '    return x', '', 'def run(double v):', '    cdef double r', '    with nogil:',
      '        r = show(v)', '    return r + half(2)', ''].join('\n') });
    const { uri, diagnostics } = session.open(dir, 'mixed.pyx');
    assert.deepEqual(diagnostics.map((d) => d.code), ['nogil-placement', 'nogil-gil-requiring-call']);
    const [all] = await session.actions(uri, [], ['source.fixAll.cythonLens']);
    assert.deepEqual(all?.diagnostics?.map((d) => d.code), ['nogil-placement']);
    assert.deepEqual(all?.edit?.changes?.[uri]?.map((e) => e.newText), ['', ' nogil']);
  });

  it('ignores diagnostics of other tools and stale ranges without failing', async () => {
    const dir = workspace('make-nogil');
    const { uri, diagnostics } = session.open(dir, 'twice.pyx');
    const foreign: Diagnostic = { ...diagnostics[0], source: 'pylint' };
    assert.deepEqual((await session.actions(uri, [foreign])).filter((a) => a.kind !== SET_DIRECTIVE_KIND), []);
    const stale: Diagnostic = { ...diagnostics[0], range: { start: { line: 400, character: 0 }, end: { line: 400, character: 3 } } };
    assert.ok(Array.isArray(await session.actions(uri, [stale])));
  });
});

describe('code actions through the real server (LspPair)', () => {
  it('announces code actions and answers them for published diagnostics', async () => {
    const { LspPair } = await import('../support/lsp-pair');
    const pair = new LspPair();
    try {
      // Untrusted: no Python discovery runs in the background while the test ends.
      const init = await pair.client.sendRequest('initialize', {
        processId: null, rootUri: 'file:///ws', workspaceFolders: [{ uri: 'file:///ws', name: 'ws' }],
        capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted: false },
      }) as { capabilities: Record<string, unknown> };
      await pair.client.sendNotification('initialized', {});
      assert.deepEqual(init.capabilities.codeActionProvider,
        { codeActionKinds: ['quickfix', 'source.fixAll.cythonLens', SET_DIRECTIVE_KIND], resolveProvider: false });
      const dir = workspace('make-nogil');
      const uri = pathToFileURL(path.join(dir, 'twice.pyx')).toString();
      await pair.open(uri, fs.readFileSync(path.join(dir, 'twice.pyx'), 'utf8'), 1);
      const published = await pair.diagnostics(uri, 1);
      const call = published.diagnostics.find((d) => d.code === 'nogil-gil-requiring-call');
      assert.ok(call, JSON.stringify(published.diagnostics));
      const actions = await pair.client.sendRequest('textDocument/codeAction', {
        textDocument: { uri }, range: call.range, context: { diagnostics: [call] },
      }) as CodeAction[];
      assert.deepEqual(actions.map((a) => a.title), ['Make `twice` noexcept nogil', 'Make `twice` nogil', 'Wrap in `with gil:`']);
      const edit = actions[0].edit?.changes?.[uri];
      assert.deepEqual(edit, [{ range: { start: { line: 0, character: 27 }, end: { line: 0, character: 27 } },
        newText: ' noexcept nogil' }]);
    } finally {
      pair.dispose();
    }
  });
});
