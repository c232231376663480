/**
 * The Cython+ quick fixes applied to small modules, then checked by the cython-plus compiler (.venv-cyplus,
 * scripts/setup-cyplus.sh): "insert `consume`" removes the capability error it is offered on and the compiler
 * accepts the module; "wrap in `with wlocked`" removes our per-call lock hint and adds no compiler message.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CodeActionSession, applyWorkspaceEdit, workspace } from './harness';
import { compileWithCyplus, requireCyplus } from '../support/cyplus';

const CLASSES = `# cython: language_level=3
cdef cypclass Item:
    int v
    void set(self, int n):
        this.v = n

cdef cypclass Box:
    Item item
    void put(self, Item other):
        this.item = other
`;

interface Case {
  name: string;
  body: string;
  code: string;
  title: string;
  /** The text of the fixed function body. */
  fixed: string;
}

const CASES: Case[] = [
  { name: 'declaration', code: 'cypclass-capability-assignment', title: 'Hand the object over: insert `consume`',
    body: 'cdef void f() nogil:\n    cdef iso Item i = Item()\n',
    fixed: 'cdef void f() nogil:\n    cdef iso Item i = consume Item()\n' },
  { name: 'aliasing an iso reference', code: 'cypclass-capability-assignment', title: 'Hand the object over: insert `consume`',
    body: 'cdef void f() nogil:\n    cdef iso Item i = consume Item()\n    cdef iso Item j\n    j = i\n',
    fixed: 'cdef void f() nogil:\n    cdef iso Item i = consume Item()\n    cdef iso Item j\n    j = consume i\n' },
  { name: 'argument through an iso reference', code: 'cypclass-capability-argument', title: 'Hand the object over: insert `consume`',
    body: 'cdef void f() nogil:\n    cdef iso Box b = consume Box()\n    b.put(Item())\n',
    fixed: 'cdef void f() nogil:\n    cdef iso Box b = consume Box()\n    b.put(consume Item())\n' },
  { name: 'call on a lock reference', code: 'cypclass-lock-per-call', title: 'Wrap in `with wlocked a:`',
    body: 'cdef void f(lock Item a) nogil:\n    a.set(1)\n',
    fixed: 'cdef void f(lock Item a) nogil:\n    with wlocked a:\n        a.set(1)\n' },
];

describe('Cython+ quick fixes, checked by the cython-plus compiler', () => {
  let session: CodeActionSession;
  before(async () => {
    requireCyplus();
    session = await CodeActionSession.create();
  });
  after(() => session?.dispose());

  for (const c of CASES) {
    it(`${c.code}: "${c.title}" (${c.name})`, async () => {
      const dir = workspace({ 'm.pyx': CLASSES + c.body });
      const file = path.join(dir, 'm.pyx');
      const { uri, diagnostics } = session.open(dir, 'm.pyx');
      const target = diagnostics.find((d) => d.code === c.code);
      assert.ok(target, `no ${c.code}: ${JSON.stringify(diagnostics.map((d) => d.code))}`);
      const errorsBefore = compileWithCyplus(file).filter((m) => m.kind === 'error');
      if (target.severity === 1) assert.notEqual(errorsBefore.length, 0, 'the compiler reports the error too');
      const actions = await session.actions(uri, [target]);
      const action = actions.find((a) => a.title === c.title);
      assert.ok(action, `not offered: ${c.title}; got ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.deepEqual(applyWorkspaceEdit(action.edit), ['m.pyx']);
      const text = fs.readFileSync(fileURLToPath(uri), 'utf8');
      assert.equal(text, CLASSES + c.fixed);
      assert.deepEqual(compileWithCyplus(file).map((m) => `${m.line}:${m.column}: ${m.message}`), [],
        'the compiler accepts the fixed module');
      session.engine.close(uri);
      const reopened = session.open(dir, 'm.pyx');
      assert.deepEqual(reopened.diagnostics.filter((d) => String(d.code).startsWith('cypclass-')), []);
    });
  }
});
