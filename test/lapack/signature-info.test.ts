import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver';
import { openDatabase } from '../../server/src/lapack/database';
import { routineSignatureInformation } from '../../server/src/lapack/signature-info';

const db = openDatabase();

test('dgelss signature: label offsets point at each parameter', () => {
  const r = db.lookup('dgelss');
  assert.ok(r !== undefined);
  const sig = routineSignatureInformation(r, { typedefs: db.typedefs });
  assert.equal(sig.label, 'void dgelss(int *m, int *n, int *nrhs, d *a, int *lda, d *b, int *ldb, d *s, d *rcond, ' +
    'int *rank, d *work, int *lwork, int *info)');
  const params = sig.parameters ?? [];
  assert.equal(params.length, 13);
  const texts = params.map((p) => {
    assert.ok(Array.isArray(p.label));
    const [s, e] = p.label as [number, number];
    return sig.label.slice(s, e);
  });
  assert.deepEqual(texts.slice(0, 4), ['int *m', 'int *n', 'int *nrhs', 'd *a']);
  assert.equal(texts[12], 'int *info');
  const docA = params[3].documentation as MarkupContent;
  assert.match(docA.value, /`d \*` \(`double \*`\) · \*\*in,out — overwritten\*\*/);
  assert.match(docA.value, /On exit, the first min\(m,n\) rows of A/);
  const docS = params[7].documentation as MarkupContent;
  assert.match(docS.value, /\*\*out\*\*/);
  assert.match((sig.documentation as MarkupContent).value, /noexcept nogil/);
});

test('every routine\'s declaration splits into its parameters', () => {
  for (const r of db.routines()) {
    const sig = routineSignatureInformation(r);
    const texts = (sig.parameters ?? []).map((p) => {
      const [s, e] = p.label as [number, number];
      return sig.label.slice(s, e);
    });
    assert.equal(texts.length, r.params.length, r.name);
    texts.forEach((t, i) => assert.ok(t.endsWith(r.params[i].name), `${r.name}: ${t}`));
  }
});
