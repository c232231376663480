/**
 * Compiler directives in the editor: completion of names and values in `# cython:` comments, `@cython.` decorators
 * and `with cython.` items (only those the compiler allows there), and hovers with their documentation; every
 * directive of the pinned Cython's tables (data/directives/) is counted. Over the real server, in memory.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, CompletionList, Hover, MarkupContent } from 'vscode-languageserver';
import { GIL_STATE_REQUEST, type GilStateResult } from '../../shared/src/protocol';
import { completionFeature } from '../../server/src/features/completion';
import { gilStateRequestFeature } from '../../server/src/features/gil-state-request';
import { hoverFeature } from '../../server/src/features/hover';
import { DIRECTIVE_TABLE } from '../../server/src/model/directive-table';
import { LspPair } from '../support/lsp-pair';

/** Directives no place accepts, and why (the compiler's own tables say so). */
const NOWHERE: Record<string, string> = {
  warn: "directive_types['warn'] is NoneType (default None): the compiler has no reader for its value; use warn.<name>",
};

const DOC = [
  '# cython: ',                        // 0: header names at 10
  '# cython: boundscheck=',            // 1: header values at 22
  '# cython: language_level=',         // 2: at 25
  'cimport cython',                    // 3
  '@cython.',                          // 4: decorator of a def (8)
  'def f(x):',                         // 5
  '    with cython.',                  // 6: with item (16)
  '        pass',                      // 7
  '@cython.',                          // 8: decorator of a class
  'class C:',                          // 9
  '    pass',                          // 10
  '@cython.',                          // 11: decorator of a cdef class
  'cdef class D:',                     // 12
  '    pass',                          // 13
  '@cython.embedsignature.format(',    // 14: value in a call (30)
  'def g(): pass',                     // 15
  '@cython.optimize.u',                // 16: dotted prefix (18)
  'def h(): pass',                     // 17
  '',
].join('\n');

describe('compiler directives: completion and hover', () => {
  let pair: LspPair;
  const uri = 'file:///ws/directives.pyx';
  before(async () => {
    pair = new LspPair({ debounceMs: 5, features: [completionFeature, hoverFeature, gilStateRequestFeature] });
    pair.config = { directives: { nonecheck: 'True' } };
    await pair.client.sendRequest('initialize', {
      processId: null, rootUri: 'file:///ws', capabilities: { workspace: { configuration: true } },
      initializationOptions: { trusted: false },
    });
    await pair.client.sendNotification('initialized', {});
    await pair.open(uri, DOC, 1);
    await pair.diagnostics(uri, 1);
  });
  after(() => pair?.dispose());

  const complete = async (line: number, character: number, u = uri): Promise<CompletionItem[]> =>
    ((await pair.client.sendRequest('textDocument/completion', { textDocument: { uri: u }, position: { line, character } })) as CompletionList).items;
  const labels = async (line: number, character: number): Promise<Set<string>> =>
    new Set((await complete(line, character)).map((i) => String(i.label)));

  it('offers in each place only the directives the compiler allows there', async () => {
    const header = await labels(0, 10);
    const onDef = await labels(4, 8);
    const inWith = await labels(6, 16);
    const onClass = await labels(8, 8);
    const onCdefClass = await labels(11, 8);
    assert.ok(header.has('boundscheck') && header.has('language_level') && header.has('c_string_type'));
    assert.ok(!header.has('nogil') && !header.has('cfunc') && !header.has('freelist') && !header.has('final'),
      'not settable in a # cython: comment');
    assert.ok(onDef.has('boundscheck') && onDef.has('cfunc') && onDef.has('nogil') && onDef.has('locals'));
    assert.ok(!onDef.has('language_level') && !onDef.has('freelist') && !onDef.has('c_string_type'), 'not in function scope');
    assert.ok(inWith.has('boundscheck') && inWith.has('nogil') && inWith.has('gil'));
    assert.ok(!inWith.has('inline') && !inWith.has('final') && !inWith.has('language_level'), 'not in with statement scope');
    assert.ok(onCdefClass.has('freelist') && onCdefClass.has('final') && !onCdefClass.has('cfunc'));
    assert.ok(onClass.has('cclass') && onClass.has('total_ordering') && !onClass.has('locals'));
  });

  it('completes values: booleans, the language levels, one_of values as string literals', async () => {
    assert.deepEqual([...await labels(1, 22)], ['True', 'False']);
    assert.deepEqual([...await labels(2, 25)], ['3', '3str', '2']);
    assert.deepEqual([...await labels(14, 30)], ["'c'", "'clinic'", "'python'"]);
  });

  it('replaces a dotted prefix whole and documents each item', async () => {
    const items = await complete(16, 18);
    const item = items.find((i) => i.label === 'optimize.use_switch');
    assert.ok(item && item.textEdit && 'range' in item.textEdit);
    assert.deepEqual(item.textEdit.range.start, { line: 16, character: 8 });
    assert.match((item.documentation as MarkupContent).value, /use_switch/);
  });

  it('every directive of the tables has completion somewhere and a hover', async () => {
    const offered = new Set<string>();
    for (const [line, ch] of [[0, 10], [4, 8], [6, 16], [8, 8], [11, 8]] as const) {
      for (const l of await labels(line, ch)) offered.add(l);
    }
    const all = DIRECTIVE_TABLE.directives.map((d) => d.name);
    const missing = all.filter((n) => !offered.has(n) && !(n in NOWHERE));
    assert.deepEqual(missing, [], 'directives without completion');
    const counted = all.filter((n) => offered.has(n)).length;
    console.log(`directive completion: ${counted} of ${all.length} directives offered (${Object.keys(NOWHERE).join(', ')} nowhere: no value reader)`);

    const hoverUri = 'file:///ws/hovers.pyx';
    const text = ['cimport cython', ...all.map((n) => `x = cython.${n}`), ''].join('\n');
    await pair.open(hoverUri, text, 1);
    await pair.diagnostics(hoverUri, 1);
    const noHover: string[] = [];
    for (const [i, n] of all.entries()) {
      const h: Hover | null = await pair.client.sendRequest('textDocument/hover',
        { textDocument: { uri: hoverUri }, position: { line: i + 1, character: 'x = cython.'.length + 1 } });
      const md = h ? (h.contents as MarkupContent).value : '';
      if (!md.startsWith(`**${n}** — compiler directive`)) noHover.push(n);
    }
    assert.deepEqual(noHover, [], 'directives without a hover');
    console.log(`directive hover: ${all.length - noHover.length} of ${all.length} directives`);
  });

  it('hovers a name in a # cython: comment with the user guide paragraph, default and scopes', async () => {
    const h: Hover | null = await pair.client.sendRequest('textDocument/hover',
      { textDocument: { uri }, position: { line: 1, character: 13 } });
    const md = (h?.contents as MarkupContent).value;
    assert.match(md, /^\*\*boundscheck\*\* — compiler directive \(Cython 3\.\d+\.\d+\)/);
    assert.match(md, /default `True`/);
    assert.match(md, /IndexErrors/);
    assert.match(md, /`@cython\.boundscheck\(False\)`/);
  });

  it('lists the directives in force at a position and where each was set (gilState)', async () => {
    const inForceUri = 'file:///ws/in_force.pyx';
    const text = [
      '# cython: boundscheck=False',     // 1
      'cimport cython',                   // 2
      '@cython.wraparound(False)',        // 3
      '@cython.cfunc',                    // 4
      'def f(double[:] x):',              // 5
      '    with cython.cdivision(True):',  // 6
      '        y = x[0] / 2',             // 7
      '    return x[0]',                  // 8
      '',
    ].join('\n');
    await pair.open(inForceUri, text, 1);
    await pair.diagnostics(inForceUri, 1);
    const state = async (line: number): Promise<string[]> => {
      const r: GilStateResult = await pair.client.sendRequest(GIL_STATE_REQUEST,
        { textDocument: { uri: inForceUri }, position: { line, character: 8 } });
      return (r.directives ?? []).map((d) => `${d.name}=${d.value} ${d.source}${d.line ? `:${d.line}` : ''}`);
    };
    assert.deepEqual(await state(6), ['nonecheck=True build', 'boundscheck=False header:1', 'wraparound=False decorator:3',
      'cdivision=True with:6']);
    assert.deepEqual(await state(7), ['nonecheck=True build', 'boundscheck=False header:1', 'wraparound=False decorator:3'],
      'cfunc applies to the function, not its body; the with block has ended');
  });
});
