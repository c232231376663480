/**
 * Hover, signature help, completion and the cythonLens/gilState request, driven through the real CythonLensServer
 * over an in-memory LSP connection.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before, describe, it } from 'node:test';
import type { CompletionList, Hover, MarkupContent, SignatureHelp } from 'vscode-languageserver';
import { GIL_STATE_REQUEST, type GilStateResult } from '../../shared/src/protocol';
import { completionFeature } from '../../server/src/features/completion';
import { gilStateRequestFeature } from '../../server/src/features/gil-state-request';
import { hoverFeature } from '../../server/src/features/hover';
import { signatureHelpFeature } from '../../server/src/features/signature-help';
import { LspPair } from '../support/lsp-pair';
import { REPO_ROOT } from '../support/paths';

const FEATURES = [hoverFeature, signatureHelpFeature, completionFeature, gilStateRequestFeature];

const LSTSQ = [
  'from scipy.linalg.cython_lapack cimport dgelss',                                      // 0
  '',                                                                                    // 1
  'cdef double scale(double x) noexcept nogil:',                                         // 2
  '    return 2 * x',                                                                    // 3
  '',                                                                                    // 4
  'def lstsq(double[:, ::1] A, double[:, ::1] B, list L):',                              // 5
  '    cdef int m = A.shape[0], n = A.shape[1], nrhs = B.shape[1], lda = m, ldb = m',    // 6
  '    cdef int rank, info, lwork = 64',                                                 // 7
  '    cdef Py_ssize_t k = 0',                                                           // 8
  '    cdef double rcond = -1.0',                                                        // 9
  '    cdef double s[8]',                                                                // 10
  '    cdef double work[64]',                                                            // 11
  '    with nogil:',                                                                     // 12
  '        dgelss(&m, &n, &nrhs, &A[0, 0], &lda, &B[0, 0], &ldb, s, &rcond, &rank, work, &lwork, &info)', // 13
  '        k = k + 1',                                                                   // 14
  '    L.append(k)',                                                                     // 15
  '    return info',                                                                     // 16
  '',
].join('\n');

/** `pkg/kernels.pxd` under `root`: a typedef, a struct and a nogil function (line 5). */
function writePackage(root: string): void {
  fs.mkdirSync(path.join(root, 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(root, 'pkg', '__init__.pxd'), '');
  fs.writeFileSync(path.join(root, 'pkg', 'kernels.pxd'), [
    'ctypedef double float64_t',
    'cdef struct Pair:',
    '    int a',
    '    int b',
    'cdef float64_t dot(float64_t *x, float64_t *y, int n) noexcept nogil',
    'cdef int checked(int n) except -1',
    '',
  ].join('\n'));
}

function markdown(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

function at(text: string, line: number, needle: string, delta = 0): { line: number; character: number } {
  const col = text.split('\n')[line].indexOf(needle);
  assert.ok(col >= 0, `${needle} not on line ${line}`);
  return { line, character: col + delta };
}

describe('LSP features: hover, signature help, completion, GIL state', () => {
  let pair: LspPair;
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-features-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  afterEach(() => pair?.dispose());

  /** Starts a server; untrusted unless asked (then no Python runs in the background while the test ends). */
  async function start(uri: string, text: string, config: object = {}, trusted = false): Promise<void> {
    pair = new LspPair({ debounceMs: 5, features: FEATURES });
    pair.config = config;
    const init = await pair.client.sendRequest('initialize', {
      processId: null, rootUri: 'file:///ws', workspaceFolders: [{ uri: 'file:///ws', name: 'ws' }],
      capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted },
    }) as { capabilities: Record<string, any> };
    await pair.client.sendNotification('initialized', {});
    assert.equal(init.capabilities.hoverProvider, true);
    assert.deepEqual(init.capabilities.signatureHelpProvider.triggerCharacters, ['(', ',']);
    await pair.open(uri, text, 1);
    await pair.diagnostics(uri, 1);
  }

  function hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    return pair.client.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  it('hovers dgelss at a call in nogil code: signature, intents, LWORK rule, GIL state', async () => {
    const uri = 'file:///ws/lstsq.pyx';
    await start(uri, LSTSQ);
    const md = markdown(await hover(uri, at(LSTSQ, 13, 'dgelss', 2)));
    assert.match(md, /void dgelss\(int \*m, int \*n, int \*nrhs, d \*a, int \*lda, d \*b, int \*ldb, d \*s, d \*rcond, int \*rank, d \*work, int \*lwork, int \*info\) noexcept nogil/);
    const intent = (name: string): string | undefined => new RegExp(`^\\| \`${name}\` \\|[^|]*\\| ([^|]+) \\|`, 'm').exec(md)?.[1].trim();
    assert.equal(intent('a'), 'in,out — overwritten');
    assert.equal(intent('b'), 'in,out — overwritten');
    assert.equal(intent('s'), 'out');
    assert.equal(intent('rank'), 'out');
    assert.equal(intent('work'), 'out');
    assert.equal(intent('info'), 'out');
    assert.match(md, /`lwork`, minimum: `LWORK >= 3\*min\(M,N\) \+ max\( 2\*min\(M,N\), max\(M,N\), NRHS \)/);
    assert.match(md, /lwork = -1/);
    assert.match(md, /GIL released by `with nogil:` at line 13/);
    // what the call contract checks inferred for each argument at this call
    const inferred = (arg: string): string | undefined =>
      new RegExp(`^\\| \`${arg.replace(/[[\]]/g, '\\$&')}\` \\| ([^|]+) \\| ([^|]+) \\|$`, 'm').exec(md)?.slice(1).join(' | ').trim();
    assert.match(md, /\*\*At this call\*\*/);
    assert.equal(inferred('&m'), 'M | `m = A.shape[0]`');
    assert.match(inferred('&A[0, 0]') ?? '', /^A \(LDA,N\) = `lda\*n` \| A: double\[:, ::1\], shape \(A.shape\[0\], A.shape\[1\]\), A.shape\[0\]\*A.shape\[1\] element\(s\), C order: LAPACK reads it column by column \(sees its transpose\)$/);
    assert.match(inferred('work') ?? '', /^WORK \(MAX\(1,LWORK\)\) = `64` \| work: double work\[64\], 64 element\(s\)$/);
  });

  it('hovers the routine in its cimport line, without the .pxd being resolvable', async () => {
    const uri = 'file:///ws/lstsq.pyx';
    await start(uri, LSTSQ);
    const md = markdown(await hover(uri, at(LSTSQ, 0, 'dgelss', 1)));
    assert.match(md, /\*\*DGELSS\*\*/);
    assert.match(md, /netlib/);
  });

  it('routines reached through a cimported module: hover and signature help', async () => {
    const uri = 'file:///ws/modules_attr.pyx';
    const text = [
      'cimport scipy.linalg.cython_lapack as lapack',
      'from scipy.linalg cimport cython_blas',
      '',
      'def f(double[::1] x):',
      '    cdef int n = 3, inc = 1',
      '    with nogil:',
      '        lapack.dgesv(&n, )',
      '        cython_blas.dnrm2(&n, &x[0], &inc)',
      '',
    ].join('\n');
    await start(uri, text);
    assert.match(markdown(await hover(uri, at(text, 7, 'dnrm2'))), /\*\*DNRM2\*\*/);
    assert.match(markdown(await hover(uri, at(text, 6, 'dgesv'))), /\*\*DGESV\*\*/);
    const help: SignatureHelp | null = await pair.client.sendRequest('textDocument/signatureHelp',
      { textDocument: { uri }, position: at(text, 6, ')') });
    assert.ok(help);
    assert.equal(help.activeParameter, 1);
    assert.match(help.signatures[0].label, /^void dgesv\(int \*n, int \*nrhs/);
  });

  it('hovers names: C variables, Python objects, C functions, with the GIL state', async () => {
    const uri = 'file:///ws/lstsq.pyx';
    await start(uri, LSTSQ);
    const k = markdown(await hover(uri, at(LSTSQ, 14, 'k')));
    assert.match(k, /^`k`: `Py_ssize_t` \(C variable, local\)/);
    assert.match(k, /declared at line 9/);
    assert.match(k, /GIL released by `with nogil:` at line 13/);
    const list = markdown(await hover(uri, at(LSTSQ, 15, 'L')));
    assert.match(list, /^`L`: Python object \(`list`\) \(argument\)/);
    assert.match(list, /GIL held/);
    const fn = markdown(await hover(uri, at(LSTSQ, 2, 'scale')));
    assert.match(fn, /cdef double scale\(double x\) noexcept nogil/);
    assert.match(fn, /Callable without the GIL/);
    const inside = markdown(await hover(uri, at(LSTSQ, 3, 'x')));
    assert.match(inside, /^`x`: `double` \(C variable, argument\)/);
    assert.match(inside, /in a nogil function \(declared `nogil` at line 3\): the caller may hold the GIL/);
    assert.equal(await hover(uri, { line: 1, character: 0 }), null);
  });

  it('signature help inside dgelss( … , with the active parameter, its type and intent', async () => {
    const uri = 'file:///ws/lstsq.pyx';
    await start(uri, LSTSQ);
    const position = at(LSTSQ, 13, '&A[0, 0]');
    const help: SignatureHelp | null = await pair.client.sendRequest('textDocument/signatureHelp',
      { textDocument: { uri }, position, context: { triggerKind: 2, triggerCharacter: ',', isRetrigger: false } });
    assert.ok(help);
    assert.equal(help.activeParameter, 3);
    const sig = help.signatures[0];
    const [s, e] = sig.parameters![3].label as [number, number];
    assert.equal(sig.label.slice(s, e), 'd *a');
    assert.match((sig.parameters![3].documentation as MarkupContent).value, /in,out — overwritten/);
  });

  it('signature help while the call is still being typed (broken code), and for C functions of the model', async () => {
    const uri = 'file:///ws/typing.pyx';
    const text = `${LSTSQ.split('\n').slice(0, 12).join('\n')}\n    with nogil:\n        dgelss(&m, &n, \n`;
    await start(uri, text);
    const help: SignatureHelp | null = await pair.client.sendRequest('textDocument/signatureHelp',
      { textDocument: { uri }, position: { line: 13, character: 23 } });
    assert.ok(help);
    assert.equal(help.activeParameter, 2);
    assert.match(help.signatures[0].label, /^void dgelss\(/);
    await pair.change(uri, 2, [{ range: { start: { line: 13, character: 8 }, end: { line: 13, character: 23 } }, text: 'scale(' }]);
    await pair.diagnostics(uri, 2);
    const own: SignatureHelp | null = await pair.client.sendRequest('textDocument/signatureHelp',
      { textDocument: { uri }, position: { line: 13, character: 14 } });
    assert.ok(own);
    assert.equal(own.signatures[0].label, 'double scale(double x) noexcept nogil');
    assert.equal(own.activeParameter, 0);
  });

  it('completes routines after `from scipy.linalg.cython_lapack cimport`, also in a multi-line list', async () => {
    const uri = 'file:///ws/complete.pyx';
    const text = 'from scipy.linalg.cython_lapack cimport dge\nfrom scipy.linalg.cython_blas cimport (\n    daxpy,\n    dn\n)\nx = \n';
    await start(uri, text);
    const lapack: CompletionList = await pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri }, position: { line: 0, character: 43 } });
    const dgelss = lapack.items.find((i) => i.label === 'dgelss');
    assert.ok(dgelss, 'dgelss offered');
    assert.match(dgelss.detail ?? '', /overdetermined or underdetermined systems/);
    assert.ok(!lapack.items.some((i) => i.label === 'daxpy'), 'BLAS routines are not in cython_lapack');
    const blas: CompletionList = await pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri }, position: { line: 3, character: 6 } });
    assert.ok(blas.items.some((i) => i.label === 'dnrm2'));
    assert.ok(!blas.items.some((i) => i.label === 'daxpy'), 'names already listed are not offered again');
    const none: CompletionList = await pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri }, position: { line: 5, character: 4 } });
    assert.deepEqual(none.items, []);
  });

  it('completes the names a resolved .pxd declares, with kind and type', async () => {
    writePackage(tmp);
    const uri = pathToFileURL(path.join(tmp, 'use.pyx')).toString();
    await start(uri, 'from pkg.kernels cimport \n', { includeDirs: [tmp] });
    const list: CompletionList = await pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri }, position: { line: 0, character: 25 } });
    const byLabel = new Map(list.items.map((i) => [i.label, i]));
    assert.equal(byLabel.get('dot')?.detail, 'float64_t dot(float64_t* x, float64_t* y, int n) noexcept nogil');
    assert.equal(byLabel.get('float64_t')?.detail, 'ctypedef double');
    assert.ok(byLabel.has('Pair'));
  });

  it('completes module names after `cimport ` and `from ` from the search path', async () => {
    writePackage(tmp);
    fs.mkdirSync(path.join(tmp, 'plain'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'plain', 'no_pxd_here.py'), '');
    const uri = 'file:///ws/modules.pyx';
    const text = 'cimport pkg.\nfrom p\n';
    await start(uri, text, { includeDirs: [tmp] });
    const sub: CompletionList = await pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri }, position: { line: 0, character: 12 } });
    assert.deepEqual(sub.items.map((i) => i.label), ['kernels']);
    assert.equal(sub.items[0].detail, 'module pkg.kernels');
    const top: CompletionList = await pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri }, position: { line: 1, character: 6 } });
    const labels = top.items.map((i) => i.label);
    assert.ok(labels.includes('pkg'));
    assert.ok(!labels.includes('plain'), 'folders without .pxd files are not offered');
  });

  it('hovers functions cimported from a resolved .pxd: declaration, exception spec, GIL requirement, origin', async () => {
    writePackage(tmp);
    const uri = pathToFileURL(path.join(tmp, 'use_kernels.pyx')).toString();
    const text = [
      'from pkg.kernels cimport dot, checked',
      '',
      'def f(double[::1] x):',
      '    cdef double r',
      '    with nogil:',
      '        r = dot(&x[0], &x[0], 3)',
      '    checked(2)',
      '    return r',
      '',
    ].join('\n');
    await start(uri, text, { includeDirs: [tmp] });
    const dot = markdown(await hover(uri, at(text, 5, 'dot')));
    assert.match(dot, /float64_t dot\(float64_t\* x, float64_t\* y, int n\) noexcept nogil/);
    assert.match(dot, /Callable without the GIL \(declared `nogil`\)/);
    assert.match(dot, /No exception check after a call \(`noexcept`\)/);
    assert.match(dot, /declared in `kernels.pxd` line 5 · cimported from pkg.kernels/);
    assert.match(dot, /GIL released by `with nogil:` at line 5/);
    const checked = markdown(await hover(uri, at(text, 6, 'checked')));
    assert.match(checked, /Needs the GIL/);
    assert.match(checked, /Signals an exception by returning `-1`/);
    const inCimport = markdown(await hover(uri, at(text, 0, 'checked')));
    assert.match(inCimport, /int checked\(int n\) except -1/);
    assert.doesNotMatch(inCimport, /GIL held/);
  });

  it('signature help for methods of extension types (self bound)', async () => {
    const uri = 'file:///ws/methods.pyx';
    const text = [
      'cdef class Acc:',
      '    cdef double total',
      '    cdef void add(self, double x, int times) noexcept nogil:',
      '        self.total += x * times',
      '',
      'def use(Acc a):',
      '    a.add(1.0, )  # editors close the parenthesis as it is typed',
      '',
    ].join('\n');
    await start(uri, text);
    const help: SignatureHelp | null = await pair.client.sendRequest('textDocument/signatureHelp',
      { textDocument: { uri }, position: { line: 6, character: 15 } });
    assert.ok(help);
    assert.equal(help.signatures[0].label, 'void add(double x, int times) noexcept nogil');
    assert.equal(help.activeParameter, 1);
  });

  it('completes names of Cython\'s bundled .pxd files once the Python environment is known', async () => {
    const python = path.join(REPO_ROOT, '.venv', 'bin', 'python');
    const uri = 'file:///ws/libc.pyx';
    await start(uri, 'from libc.math cimport \n', { pythonPath: python }, true);
    // Discovery ends with a log line, then the open documents are analysed again.
    const log = await pair.waitFor((n) => n.method === 'window/logMessage'
      && /Python environment: /.test((n.params as { message: string }).message), 15000);
    assert.match((log.params as { message: string }).message, /Cython 3\./);
    await pair.waitFor((n) => n.method === 'textDocument/publishDiagnostics', 5000, pair.notifications.indexOf(log));
    assert.equal(pair.server.session?.pythonEnvironment?.python, python);
    const list: CompletionList = await pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri }, position: { line: 0, character: 23 } });
    const sqrt = list.items.find((i) => i.label === 'sqrt');
    assert.ok(sqrt, 'sqrt offered');
    assert.equal(sqrt.detail, 'double sqrt(double x) nogil');
    assert.ok(list.items.some((i) => i.label === 'M_PI'));
  });

  it('answers cythonLens/gilState with the state and the releasing construct', async () => {
    const uri = 'file:///ws/lstsq.pyx';
    await start(uri, LSTSQ);
    const request = (line: number, character: number): Promise<GilStateResult> =>
      pair.client.sendRequest(GIL_STATE_REQUEST, { textDocument: { uri }, position: { line, character } });
    const released = await request(14, 10);
    assert.equal(released.state, 'released');
    assert.deepEqual(released.releasedBy, { start: { line: 12, character: 4 }, end: { line: 12, character: 15 } });
    assert.deepEqual(await request(15, 6), { state: 'held' });
    const fn = await request(3, 8);
    assert.equal(fn.state, 'nogil-function');
    assert.equal(fn.releasedBy?.start.line, 2);
    assert.deepEqual(await request(0, 0), { state: 'held' });
    const closed: GilStateResult = await pair.client.sendRequest(GIL_STATE_REQUEST,
      { textDocument: { uri: 'file:///ws/not-open.pyx' }, position: { line: 0, character: 0 } });
    assert.deepEqual(closed, { state: 'unknown' });
  });

  it('hovers Cython+ references with their capability (iso, lock, a field seen through an iso reference)', async () => {
    const text = [
      'cdef cypclass Item:',                                 // 0
      '    int v',                                           // 1
      'cdef cypclass Box:',                                  // 2
      '    Item item',                                       // 3
      'cdef void f(lock Item shared) nogil:',                // 4
      '    cdef iso Box b = consume Box()',                  // 5
      '    cdef Item local = Item()',                        // 6
      '    inner = b.item',                                  // 7
      '    shared.v = local.v',                              // 8
    ].join('\n') + '\n';
    const uri = 'file:///ws/cyplus.pyx';
    await start(uri, text);
    const title = async (line: number, needle: string) => markdown(await hover(uri, at(text, line, needle))).split('\n')[0];
    assert.equal(await title(5, 'b ='), '`b`: `iso Box`, isolated (reachable through this reference only) (C variable, local)');
    assert.equal(await title(8, 'shared'), '`shared`: `lock Item`, shared under a lock (C variable, argument)');
    assert.equal(await title(7, 'inner'),
      '`inner`: `iso-> Item`, reached through an isolated object (it must stay inside it) (C variable, local)');
    assert.equal(await title(6, 'local'),
      '`local`: `Item`, thread-local (it may have other references in this thread) (C variable, local)');
  });

  it('answers malformed requests without failing', async () => {
    const uri = 'file:///ws/lstsq.pyx';
    await start(uri, LSTSQ);
    assert.equal(await pair.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 999, character: 999 } }), null);
    assert.deepEqual(await pair.client.sendRequest(GIL_STATE_REQUEST, {}), { state: 'unknown' });
    const list: CompletionList = await pair.client.sendRequest('textDocument/completion',
      { textDocument: { uri: 'file:///ws/none.pyx' }, position: { line: 0, character: 0 } });
    assert.deepEqual(list.items, []);
  });
});
