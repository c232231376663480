/**
 * Document symbols of a .pxd and workspace symbols over the fixture workspace, including a file that appears
 * later (workspace/didChangeWatchedFiles), through the real server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { DocumentSymbol, SymbolInformation } from 'vscode-languageserver';
import { SymbolKind } from 'vscode-languageserver';
import { documentSymbolFeature } from '../../server/src/features/document-symbols';
import { workspaceSymbolFeature } from '../../server/src/features/workspace-symbols';
import { FIXTURE_ROOT, type NavWorkspace, startNavigationServer } from './harness';

describe('navigation: document and workspace symbols', () => {
  let ws: NavWorkspace;
  let tmp: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-symbols-'));
    fs.cpSync(FIXTURE_ROOT, tmp, { recursive: true });
    ws = await startNavigationServer([documentSymbolFeature, workspaceSymbolFeature], ['geom/shapes.pxd'], tmp);
  });
  after(async () => {
    await ws?.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('outlines a .pxd: ctypedefs, structs with fields, fused types, extern blocks, classes with members', async () => {
    const symbols: DocumentSymbol[] = await ws.pair.client.sendRequest('textDocument/documentSymbol',
      { textDocument: { uri: ws.uri('geom/shapes.pxd') } });
    const summary = (s: DocumentSymbol): string => `${s.name}:${s.kind}${s.detail ? `:${s.detail}` : ''}`;
    assert.deepEqual(symbols.map(summary), [
      `real_t:${SymbolKind.TypeParameter}:ctypedef double`, `Point:${SymbolKind.Struct}:struct`,
      `number:${SymbolKind.TypeParameter}:fused int, double`, `extern from "math.h":${SymbolKind.Namespace}:nogil`,
      `norm:${SymbolKind.Function}:cdef real_t (Point p) noexcept nogil`,
      `Shape:${SymbolKind.Class}:cdef class`, `Square:${SymbolKind.Class}:cdef class(Shape)`,
    ]);
    assert.deepEqual(symbols[1]!.children!.map(summary), [`x:${SymbolKind.Field}:real_t`, `y:${SymbolKind.Field}:real_t`]);
    assert.deepEqual(symbols[3]!.children!.map(summary), [`hypot:${SymbolKind.Function}:extern double (double a, double b)`]);
    assert.deepEqual(symbols[5]!.children!.map(summary), [`sides:${SymbolKind.Field}:public int`,
      `area:${SymbolKind.Method}:cdef double (self) noexcept`]);
    assert.deepEqual(symbols[4]!.selectionRange, { start: { line: 13, character: 12 }, end: { line: 13, character: 16 } });
  });

  it('writes a parameter list spread over lines on one line, as it would be written there', async () => {
    const uri = ws.uri('spread.pyx');
    await ws.pair.open(uri, 'cdef int split(\n    int a,\n    double* b,\n) except -1 nogil:\n    return 0\n\ndef f( ):\n    pass\n', 1);
    await ws.pair.diagnostics(uri, 1);
    const symbols: DocumentSymbol[] = await ws.pair.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => `${s.name}:${s.detail}`),
      ['split:cdef int (int a, double* b) except -1 nogil', 'f:def ()']);
  });

  it('finds symbols of every Cython file of the workspace, and of files created later', async () => {
    const query = (q: string): Promise<SymbolInformation[]> => ws.pair.client.sendRequest('workspace/symbol', { query: q });
    const norm = (await query('norm')).map((s) => `${path.relative(tmp, new URL(s.location.uri).pathname)}:`
      + `${s.location.range.start.line}:${s.name}`).sort();
    assert.deepEqual(norm, ['geom/shapes.pxd:13:norm', 'geom/shapes.pyx:4:norm']);
    const grow = (await query('grw')).find((s) => s.name === 'grow');
    assert.equal(grow?.containerName, 'Square');
    assert.equal(grow?.kind, SymbolKind.Method);
    assert.ok((await query('')).length > 15);
    // a new file on disk, announced by the client's watcher
    const added = path.join(tmp, 'added.pyx');
    fs.writeFileSync(added, 'cdef int brand_new_function(int x) noexcept nogil:\n    return x\n');
    await ws.pair.client.sendNotification('workspace/didChangeWatchedFiles',
      { changes: [{ uri: pathToFileURL(added).toString(), type: 1 }] });
    const found = await query('brand_new');
    assert.deepEqual(found.map((s) => s.name), ['brand_new_function']);
    fs.rmSync(added);
    await ws.pair.client.sendNotification('workspace/didChangeWatchedFiles',
      { changes: [{ uri: pathToFileURL(added).toString(), type: 3 }] });
    assert.deepEqual(await query('brand_new'), []);
  });
});
