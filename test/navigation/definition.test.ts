/**
 * Go to definition / declaration / implementation and document symbols, driven through the real CythonLensServer
 * over an in-memory LSP connection, on test/fixtures/navigation: a .pyx with its own .pxd and an included .pxi,
 * modules that cimport it, Cython's libc and numpy's installed .pxd.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { DocumentSymbol, Location } from 'vscode-languageserver';
import { definitionFeature } from '../../server/src/features/definition';
import { documentSymbolFeature } from '../../server/src/features/document-symbols';
import { type NavWorkspace, pos, startNavigationServer } from './harness';

describe('navigation: definition, declaration, implementation, document symbols', () => {
  let ws: NavWorkspace;
  before(async () => {
    ws = await startNavigationServer([definitionFeature, documentSymbolFeature], ['geom/shapes.pyx', 'use.pyx']);
  });
  after(() => ws?.dispose());
  const textOf = (rel: string): string => ws.text(rel);
  const uriOf = (rel: string): string => ws.uri(rel);

  async function go(method: 'definition' | 'declaration' | 'implementation', rel: string,
    p: { line: number; character: number }): Promise<string[]> {
    const r = await ws.request<Location | Location[] | null>(`textDocument/${method}`, rel, p);
    if (r === null) return [];
    return (Array.isArray(r) ? r : [r]).map((l) => ws.where(l));
  }

  it('a cimported function: definition and declaration in the .pxd, implementation in its .pyx', async () => {
    const use = textOf('use.pyx');
    const at = pos(use, 's += norm', 'norm', 1);
    assert.deepEqual(await go('definition', 'use.pyx', at), ['geom/shapes.pxd:13:12']);
    assert.deepEqual(await go('declaration', 'use.pyx', at), ['geom/shapes.pxd:13:12']);
    assert.deepEqual(await go('implementation', 'use.pyx', at), ['geom/shapes.pyx:4:12']);
    // in its cimport line, and through the module (`sh.norm`, `geom.shapes.norm`)
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'from geom.shapes cimport', 'norm')), ['geom/shapes.pxd:13:12']);
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'sh.norm', 'sh.norm', 4)), ['geom/shapes.pxd:13:12']);
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'geom.shapes.norm', 'geom.shapes.norm', 13)),
      ['geom/shapes.pxd:13:12']);
  });

  it('the module\'s own .pxd (declaration) and .pyx (implementation)', async () => {
    const pyx = textOf('geom/shapes.pyx');
    const at = pos(pyx, 'cdef real_t norm', 'norm');
    assert.deepEqual(await go('declaration', 'geom/shapes.pyx', at), ['geom/shapes.pxd:13:12']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', at), ['geom/shapes.pyx:4:12']);
    assert.deepEqual(await go('implementation', 'geom/shapes.pyx', at), ['geom/shapes.pyx:4:12']);
  });

  it('cimport lines and includes open the file', async () => {
    const use = textOf('use.pyx');
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'cimport geom.shapes', 'shapes')), ['geom/shapes.pxd:0:0']);
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'cimport geom.shapes', 'geom')), ['geom/__init__.pxd:0:0']);
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'from geom cimport shapes', 'shapes')),
      ['geom/shapes.pxd:0:0']);
    const numpy = await go('definition', 'use.pyx', pos(use, 'cimport numpy', 'numpy'));
    assert.equal(numpy.length, 1);
    assert.match(numpy[0]!, /__init__(\.cython-30)?\.pxd:0:0$/);
    const pyx = textOf('geom/shapes.pyx');
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'include', 'helpers', 1)), ['geom/helpers.pxi:0:0']);
  });

  it('Cython\'s libc and numpy\'s installed .pxd', async () => {
    const pyx = textOf('geom/shapes.pyx');
    const sqrt = await go('definition', 'geom/shapes.pyx', pos(pyx, 'return clamp(sqrt', 'sqrt'));
    assert.equal(sqrt.length, 1);
    assert.match(sqrt[0]!, /^math\.pxd:\d+:\d+$/);
    const r = await ws.pair.client.sendRequest('textDocument/definition', { textDocument: { uri: uriOf('geom/shapes.pyx') },
      position: pos(pyx, 'return clamp(sqrt', 'sqrt') }) as Location[];
    assert.match(r[0]!.uri, /Cython\/Includes\/libc\/math\.pxd$/);
    const line = fs.readFileSync(new URL(r[0]!.uri), 'utf8').split('\n')[r[0]!.range.start.line]!;
    assert.equal(line.slice(r[0]!.range.start.character, r[0]!.range.end.character), 'sqrt');
    const use = textOf('use.pyx');
    const f64 = await ws.pair.client.sendRequest('textDocument/definition', { textDocument: { uri: uriOf('use.pyx') },
      position: pos(use, 'cdef cnp.float64_t s', 'float64_t', 2) }) as Location[];
    assert.equal(f64.length, 1);
    assert.match(f64[0]!.uri, /numpy\/__init__(\.cython-30)?\.pxd$/);
    const decl = fs.readFileSync(new URL(f64[0]!.uri), 'utf8').split('\n')[f64[0]!.range.start.line]!;
    assert.match(decl, /ctypedef .*float64_t/);
  });

  it('included .pxi, struct fields, ctypedefs, fused types and extern declarations', async () => {
    const pyx = textOf('geom/shapes.pyx');
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'return clamp', 'clamp')), ['geom/helpers.pxi:0:19']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'p.x * p.x', 'x')), ['geom/shapes.pxd:3:11']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'p.x * p.x + p.y', 'y')), ['geom/shapes.pxd:4:11']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'cdef real_t norm', 'real_t')), ['geom/shapes.pxd:0:16']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'cdef number twice', 'number')), ['geom/shapes.pxd:6:15']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'return hypot', 'hypot')), ['geom/shapes.pxd:11:11']);
    const use = textOf('use.pyx');
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, '+ pts[i].x', 'x', 0, 0)), ['geom/shapes.pxd:3:11']);
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'cdef Point p', 'Point')), ['geom/shapes.pxd:2:12']);
  });

  it('cdef class attributes and methods, inherited and declared in the .pxd', async () => {
    const pyx = textOf('geom/shapes.pyx');
    // self.side: declared in the .pxd
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'return self.side *', 'side')), ['geom/shapes.pxd:20:16']);
    // self.sides on a Square: inherited from Shape
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'return self.area() + self.sides', 'sides')),
      ['geom/shapes.pxd:16:20']);
    // self.area() of a Shape: declared in the .pxd, defined in the .pyx (this document)
    const area = pos(pyx, 'return self.sides + self.area()', 'area');
    assert.deepEqual(await go('declaration', 'geom/shapes.pyx', area), ['geom/shapes.pxd:17:16']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', area), ['geom/shapes.pyx:8:16']);
    assert.deepEqual(await go('implementation', 'geom/shapes.pyx', area), ['geom/shapes.pyx:8:16']);
    // of a Square: its override, only in the .pyx
    const override = pos(pyx, 'return self.area() + self.sides', 'area');
    assert.deepEqual(await go('declaration', 'geom/shapes.pyx', override), ['geom/shapes.pyx:15:16']);
    // a def method of a cdef class, from another module
    const use = textOf('use.pyx');
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'sq.side + sq.sides', 'sides')), ['geom/shapes.pxd:16:20']);
    assert.deepEqual(await go('definition', 'use.pyx', pos(use, 'sq.side + sq.sides', 'side')), ['geom/shapes.pxd:20:16']);
    // locals and parameters
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'self.side = total', 'total')),
      ['geom/shapes.pyx:19:20']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'self.side + by', 'by')), ['geom/shapes.pyx:18:26']);
    assert.deepEqual(await go('definition', 'geom/shapes.pyx', pos(pyx, 'return v + v', 'v')), ['geom/shapes.pyx:23:25']);
  });

  it('outlines a module: classes with members, functions with their kind, structs, fused types, extern blocks', async () => {
    const pxd: DocumentSymbol[] = await ws.pair.client.sendRequest('textDocument/documentSymbol',
      { textDocument: { uri: uriOf('geom/shapes.pyx') } });
    const names = (list: DocumentSymbol[]): string[] => list.map((s) => s.name);
    assert.deepEqual(names(pxd), ['norm', 'Shape', 'Square', 'twice', 'api']);
    const square = pxd.find((s) => s.name === 'Square')!;
    assert.equal(square.detail, 'cdef class(Shape)');
    assert.deepEqual(names(square.children!), ['area', 'grow']);
    assert.equal(square.children![0]!.detail, 'cdef double (self) noexcept');
    assert.equal(pxd.find((s) => s.name === 'norm')!.detail, 'cdef real_t (Point p) noexcept nogil');
    assert.equal(pxd.find((s) => s.name === 'api')!.detail, 'def (double a, double b)');
  });
});
