import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import { openDatabase } from '../../server/src/lapack/database';
import { routineCompletionItems } from '../../server/src/lapack/completion-items';

const db = openDatabase();

test('one item per routine of the module, purpose as detail', () => {
  const blas = routineCompletionItems(db, 'cython_blas');
  const lapack = routineCompletionItems(db, 'cython_lapack');
  assert.equal(blas.length, 148);
  assert.equal(lapack.length, 1496);
  const ddot = blas.find((i) => i.label === 'ddot');
  assert.ok(ddot !== undefined);
  assert.equal(ddot.kind, CompletionItemKind.Function);
  assert.match(ddot.detail ?? '', /dot product/);
  assert.equal(lapack.find((i) => i.label === 'ddot'), undefined);
  for (const item of [...blas, ...lapack]) assert.ok((item.detail ?? '') !== '', `${item.label} detail`);
});

test('snippets fill in the arguments', () => {
  const dgesv = routineCompletionItems(db, 'cython_lapack', { snippets: true }).find((i) => i.label === 'dgesv');
  assert.ok(dgesv !== undefined);
  assert.equal(dgesv.insertTextFormat, InsertTextFormat.Snippet);
  assert.equal(dgesv.insertText, 'dgesv(${1:&n}, ${2:&nrhs}, ${3:&a}, ${4:&lda}, ${5:&ipiv}, ${6:&b}, ${7:&ldb}, ${8:&info})');
});
