/**
 * The `untyped-index` rule (checks/gil/untyped-index.ts) gives the compiler's performance hint "Index should be
 * typed for more efficient access" exactly where `cython -3` gives it, on a fixture of cases with and without it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UNTYPED_INDEX_MESSAGE } from '../../server/src/checks/gil/untyped-index';
import { CodeActionSession, FIXTURES, compileAll, workspace } from './harness';

describe('untyped-index agrees with cython -3', () => {
  let session: CodeActionSession;
  before(async () => {
    session = await CodeActionSession.create();
  });
  after(() => session?.dispose());

  it('same lines and columns as the compiler on untyped_index_cases.pyx', () => {
    const dir = workspace({ 'untyped_index_cases.pyx': fs.readFileSync(path.join(FIXTURES, 'untyped_index_cases.pyx'), 'utf8') });
    const compiler = compileAll(dir).filter((m) => m.message === UNTYPED_INDEX_MESSAGE)
      .map((m) => `${m.line}:${m.column}`);
    const ours = session.open(dir, 'untyped_index_cases.pyx').diagnostics.filter((d) => d.code === 'untyped-index')
      .map((d) => `${d.range.start.line + 1}:${d.range.start.character}`);
    assert.equal(compiler.length, 13);
    assert.deepEqual(ours, compiler);
  });
});
