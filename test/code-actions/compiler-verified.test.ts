/**
 * Every quick fix applied to a fixture workspace, then checked by the pinned real Cython (`cython -3`): the
 * targeted compiler message is gone and no new error, warning or hint appeared.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import {
  CYTHON, CodeActionSession, applyWorkspaceEdit, compileAll, matching, newMessages, workspace,
} from './harness';

let verified = 0;

interface Case {
  fixture: string;
  file: string;
  /** Picks the diagnostic to fix. */
  code: string;
  title: string;
  /** Compiler messages (substrings) present before and gone after. */
  gone: string[];
  /** Files the edit must touch. */
  touches: string[];
  /** Our own diagnostic code that must be gone afterwards (for hints the compiler does not give). */
  ownGone?: string;
}

const CASES: Case[] = [
  { fixture: 'noexcept-definition', file: 'scale.pyx', code: 'exception-check-definition',
    title: 'Declare `scale` noexcept', touches: ['scale.pyx'],
    gone: ["Exception check on 'scale'", "Exception check after calling 'scale'"] },
  { fixture: 'noexcept-pxd', file: 'kern.pyx', code: 'exception-check-requires-gil', title: 'Declare `fill` noexcept',
    touches: ['kern.pxd', 'kern.pyx'], gone: ["Exception check on 'fill'", "Exception check after calling 'fill'"] },
  { fixture: 'make-nogil', file: 'twice.pyx', code: 'nogil-gil-requiring-call', title: 'Make `twice` nogil',
    touches: ['twice.pyx'], gone: ['Calling gil-requiring function not allowed without gil'] },
  { fixture: 'make-nogil', file: 'twice.pyx', code: 'nogil-gil-requiring-call', title: 'Make `twice` noexcept nogil',
    touches: ['twice.pyx'], gone: ['Calling gil-requiring function not allowed without gil'] },
  { fixture: 'wrap-in-nogil-function', file: 'logf.pyx', code: 'nogil-gil-requiring-call', title: 'Wrap in `with gil:`',
    touches: ['logf.pyx'], gone: ['not allowed without gil'] },
  { fixture: 'make-nogil-other-file', file: 'main.pyx', code: 'nogil-gil-requiring-call',
    title: 'Make `twice` noexcept nogil', touches: ['helpers.pxd', 'helpers.pyx'],
    gone: ['Calling gil-requiring function not allowed without gil'] },
  { fixture: 'wrap-with-gil', file: 'report.pyx', code: 'nogil-gil-requiring-call', title: 'Wrap in `with gil:`',
    touches: ['report.pyx'], gone: ['not allowed without gil'] },
  { fixture: 'hoist-transition', file: 'hoist.pyx', code: 'gil-transition-in-loop',
    title: 'Hoist `with nogil:` out of the loop', touches: ['hoist.pyx'], gone: [], ownGone: 'gil-transition-in-loop' },
  { fixture: 'typed-index', file: 'index.pyx', code: 'untyped-index', title: 'Declare `i` as `cdef Py_ssize_t i`',
    touches: ['index.pyx'], gone: ['Index should be typed for more efficient access'] },
  { fixture: 'exception-value', file: 'main.pyx', code: 'exception-check-requires-gil',
    title: 'Declare `checked_double` with `except? -1`', touches: ['limits.pxd', 'limits.pyx'],
    gone: ["Exception check after calling 'checked_double'", "No exception value declared for 'checked_double'"] },
  { fixture: 'address-of', file: 'addr.pyx', code: 'call-arguments', title: 'Pass the address: `&y`',
    touches: ['addr.pyx'], gone: ["Cannot assign type 'double' to 'double *'"] },
  { fixture: 'nogil-placement', file: 'place.pyx', code: 'nogil-placement',
    title: 'Move `nogil` to the end of the signature', touches: ['place.pyx'],
    gone: ["The keyword 'nogil' should appear at the end of the function signature line"] },
  // the copy needs the GIL: made before the `with nogil:` block, declared at the function's top level
  { fixture: 'copy-before-call', file: 'lstsq.pyx', code: 'lapack-overwritten-input',
    title: 'Copy `a` before the call: pass `a_copy = a.copy_fortran()` to DGELSS', touches: ['lstsq.pyx'], gone: [],
    ownGone: 'lapack-overwritten-input' },
  // in a loop: copied on each turn, declared before the loop
  { fixture: 'copy-before-call-loop', file: 'each.pyx', code: 'lapack-overwritten-input',
    title: 'Copy `a` before the call: pass `a_copy = a.copy_fortran()` to DGESV', touches: ['each.pyx'], gone: [],
    ownGone: 'lapack-overwritten-input' },
  // pure Python mode: the fixes in the file's own spelling (decorators, `with cython.gil:`)
  { fixture: 'pure-noexcept', file: 'scale.py', code: 'exception-check-definition',
    title: 'Declare `scale` noexcept', touches: ['scale.py'],
    gone: ["Exception check on 'scale'", "Exception check after calling 'scale'"] },
  { fixture: 'pure-make-nogil', file: 'twice.py', code: 'nogil-gil-requiring-call', title: 'Make `twice` nogil',
    touches: ['twice.py'], gone: ['Calling gil-requiring function not allowed without gil'] },
  { fixture: 'pure-make-nogil', file: 'twice.py', code: 'nogil-gil-requiring-call',
    title: 'Make `twice` noexcept nogil', touches: ['twice.py'],
    gone: ['Calling gil-requiring function not allowed without gil'] },
  { fixture: 'pure-wrap-with-gil', file: 'report.py', code: 'nogil-gil-requiring-call',
    title: 'Wrap in `with cython.gil:`', touches: ['report.py'], gone: ['not allowed without gil'] },
  { fixture: 'pure-wrap-alias', file: 'report.py', code: 'nogil-gil-requiring-call',
    title: 'Wrap in `with cy.gil:`', touches: ['report.py'], gone: ['not allowed without gil'] },
];

describe('quick fixes verified by the real compiler', () => {
  let session: CodeActionSession;
  before(async () => {
    assert.ok(fs.existsSync(CYTHON), `the pinned compiler is missing: ${CYTHON} (run scripts/setup-python.sh)`);
    session = await CodeActionSession.create();
  });
  after(() => {
    session?.dispose();
    console.log(`${verified} fixes verified by the compiler`);
  });

  async function applyAndCompile(dir: string, action: CodeAction, c: { touches: string[]; gone: string[] },
    compiledBefore: ReturnType<typeof compileAll>): Promise<void> {
    assert.deepEqual(applyWorkspaceEdit(action.edit), c.touches);
    const compiledAfter = compileAll(dir);
    for (const g of c.gone) {
      assert.deepEqual(matching(compiledAfter, g), [], `still reported after the fix: ${g}`);
    }
    assert.deepEqual(newMessages(compiledBefore, compiledAfter), [], 'the fix made the compiler report something new');
  }

  for (const c of CASES) {
    it(`${c.code}: "${c.title}" (${c.fixture})`, async () => {
      const dir = workspace(c.fixture);
      const { uri, diagnostics } = session.open(dir, c.file);
      const target = diagnostics.find((d) => d.code === c.code);
      assert.ok(target, `no ${c.code} diagnostic in ${c.file}: ${JSON.stringify(diagnostics.map((d) => d.code))}`);
      const compiledBefore = compileAll(dir);
      for (const g of c.gone) assert.notEqual(matching(compiledBefore, g).length, 0, `the compiler does not report: ${g}`);
      const actions = await session.actions(uri, [target]);
      const action = actions.find((a) => a.title === c.title);
      assert.ok(action, `not offered: ${c.title}; got ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.deepEqual(action.diagnostics, [target]);
      await applyAndCompile(dir, action, c, compiledBefore);
      if (c.ownGone) {
        const reopened = session.open(dir, c.file);
        assert.deepEqual(reopened.diagnostics.filter((d) => d.code === c.ownGone), []);
      }
      verified++;
    });
  }

  it('add-address-of on a diagnostic built by the test (code and data as the call-argument check sets them)', async () => {
    const dir = workspace('address-of');
    const { uri } = session.open(dir, 'addr.pyx');
    const built: Diagnostic = {
      range: { start: { line: 6, character: 10 }, end: { line: 6, character: 11 } }, severity: 1,
      code: 'call-arguments', source: 'cython-lens', message: "Cannot assign type 'double' to 'double *'",
      data: { fix: 'add-address-of' },
    };
    const compiledBefore = compileAll(dir);
    const [action] = await session.actions(uri, [built]);
    assert.equal(action?.title, 'Pass the address: `&y`');
    assert.equal(action.isPreferred, true);
    await applyAndCompile(dir, action, { touches: ['addr.pyx'], gone: ["Cannot assign type 'double' to 'double *'"] },
      compiledBefore);
    verified++;
  });

  it('"Fix all GIL issues in file" applies the safe fixes together', async () => {
    const dir = workspace('fix-all');
    const { uri, diagnostics } = session.open(dir, 'combined.pyx');
    const compiledBefore = compileAll(dir);
    const actions = await session.actions(uri, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    const [all] = actions;
    assert.equal(all.title, 'Fix all GIL issues in file');
    assert.equal(all.kind, 'source.fixAll.cythonLens');
    const fixedCodes = (all.diagnostics ?? []).map((d) => String(d.code)).sort();
    assert.deepEqual(fixedCodes, ['exception-check-definition', 'exception-check-requires-gil', 'gil-transition-in-loop',
      'nogil-placement', 'untyped-index']);
    assert.ok(diagnostics.length >= fixedCodes.length);
    await applyAndCompile(dir, all, { touches: ['combined.pyx'], gone: [
      "The keyword 'nogil' should appear at the end", "Exception check on 'scale'",
      "Exception check after calling 'scale'", 'Index should be typed for more efficient access'] }, compiledBefore);
    const left = session.open(dir, 'combined.pyx').diagnostics;
    assert.deepEqual(left.map((d) => d.code), []);
    verified++;
  });
});
