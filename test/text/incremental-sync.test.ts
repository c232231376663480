/**
 * Thousands of random LSP edits through the DocumentStore: after each, the incrementally maintained tree must
 * equal a fresh parse of the same text (structure via toString, and every node's offsets and points).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Parser } from 'web-tree-sitter';
import { DocumentStore, FRESH_REPARSE_LIMIT, type TextDocumentContentChangeEvent } from '../../server/src/text/document-store';
import { createParser } from '../../server/src/tree/language';
import { fixture } from '../support/paths';
import { Random } from '../support/random';
import { dumpWithPositions } from '../support/tree-dump';

const SNIPPETS = [
  'cdef int x = 0\n', 'with nogil:\n    ', 'é', 'naïve ', '😀', '\t', '\r\n', '\n', '\r', ' ', ':', '(', ')', '[', ']',
  '"', "c'x'", '#', 'nogil', 'cdef ', 'cpdef double f(double[:, ::1] a) noexcept nogil:\n', '<double*>', 'pass',
  '    return 0\n', 'DEF N = 3\n', 'IF N:\n', '"""doc\n', 'lambda: 1', '\\\n', ',', '.', 'x', '0x1F', '→',
];

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Moves an offset off the middle of a surrogate pair or a CRLF pair: LSP positions cannot express those
 * (a position is a line and a character before the line break), and editors never produce them.
 */
function snap(text: string, o: number): number {
  if (o > 0 && o < text.length && isLowSurrogate(text.charCodeAt(o))) return o - 1;
  if (o > 0 && o < text.length && text[o - 1] === '\r' && text[o] === '\n') return o - 1;
  return o;
}

function offsetIn(rnd: Random, text: string): number {
  return snap(text, rnd.int(text.length + 1));
}

function randomChange(rnd: Random, text: string): { start: number; end: number; insert: string } {
  const kind = text.length > 3000 ? 1 : rnd.int(3); // keep the document from growing without bound
  const start = offsetIn(rnd, text);
  const span = rnd.next() < 0.1 ? rnd.int(400) : rnd.int(12);
  let end = Math.min(text.length, start + (kind === 0 ? 0 : span));
  if (end > start) end = Math.max(start, snap(text, end));
  let insert = '';
  if (kind !== 1) {
    const n = 1 + rnd.int(3);
    for (let i = 0; i < n; i++) insert += rnd.pick(SNIPPETS);
  }
  return { start, end, insert };
}


const NEW_NAMES = ['é_1', 'x2', 'naïve', 'tötal', 'σ', 'value_', 'αβγ'];
const RENAMEABLE = /\b(?:s|i|j|a|x|m|p|v|n|value|buffer|total|norm|mean|softmax)\b/g;

/** Offsets of all matches of `re` in `text`. */
function matches(re: RegExp, text: string): { index: number; length: number }[] {
  return [...text.matchAll(re)].map((m) => ({ index: m.index ?? 0, length: m[0].length }));
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** An edit that keeps kernels.pyx well-formed: comments, renames, numbers, trailing blanks. */
function validChange(rnd: Random, text: string, eol: string): { start: number; end: number; insert: string } {
  for (;;) {
    const op = rnd.int(6);
    if (op === 0) {
      // a comment line indented like the line it is inserted before (as a person would write it)
      const at = rnd.pick(lineStarts(text));
      const indent = /^[ \t]*/.exec(text.slice(at))?.[0] ?? '';
      return { start: at, end: at, insert: `${indent}# ünïcode 😀\tnote →${eol}` };
    }
    if (op === 1) {
      const found = matches(/^[ \t]*# ünïcode 😀\tnote →\r?\n/gm, text);
      if (found.length === 0) continue;
      const m = rnd.pick(found);
      return { start: m.index, end: m.index + m.length, insert: '' };
    }
    if (op === 2) {
      const m = rnd.pick(matches(RENAMEABLE, text).concat(matches(/\b(?:é_1|x2|naïve|tötal|σ|value_|αβγ)(?![\w])/gu, text)));
      return { start: m.index, end: m.index + m.length, insert: rnd.pick(NEW_NAMES) };
    }
    if (op === 3) {
      const nums = matches(/(?<![:\w.])\d+(?:\.\d+)?(?:e\d+)?(?![\w.])/g, text);
      if (nums.length === 0) continue;
      const m = rnd.pick(nums);
      return { start: m.index, end: m.index + m.length, insert: rnd.pick(['0', '42', '1.5', '3.0e8', '7']) };
    }
    if (op === 4) {
      const starts = lineStarts(text);
      const line = rnd.int(starts.length - 1) + 1; // end of line `line - 1`
      const at = (starts[line] as number) - eol.length;
      if (at < 0 || text.slice(at, at + eol.length) !== eol) continue;
      return { start: at, end: at, insert: rnd.pick([' ', '\t', ' \t ']) };
    }
    // op 5: text inside the first comment line
    const lineEnd = text.indexOf(eol);
    const at = 1 + rnd.int(Math.max(1, lineEnd - 1));
    return { start: at, end: at, insert: rnd.pick(['é', '😀', '\t', 'ß→']) };
  }
}

describe('incremental document sync', () => {
  let parser: Parser;
  let fresh: Parser;
  before(async () => {
    parser = await createParser();
    fresh = await createParser();
  });
  after(() => {
    parser.delete();
    fresh.delete();
  });

  for (const [name, seed, edits, eol] of [
    ['LF text', 1, 1200, '\n'],
    ['CRLF text', 2, 800, '\r\n'],
  ] as const) {
    it(`${edits} random edits on ${name} keep the tree equal to a fresh parse (seed ${seed})`, () => {
      const rnd = new Random(seed);
      const original = fixture('kernels.pyx').replace(/\r?\n/g, eol);
      const store = new DocumentStore(parser);
      const uri = 'file:///random.pyx';
      let expected = original;
      store.open(uri, 'cython', 1, expected);
      for (let step = 0; step < edits; step++) {
        if (step % 500 === 499) expected = original; // occasionally return to a well-formed file
        const batch: TextDocumentContentChangeEvent[] = [];
        if (expected === original && step % 500 === 499) {
          batch.push({ text: original });
        } else {
          const count = rnd.next() < 0.15 ? 2 + rnd.int(3) : 1; // sometimes several changes in one didChange
          for (let i = 0; i < count; i++) {
            const { start, end, insert } = randomChange(rnd, expected);
            const ref = TextDocument.create(uri, 'cython', 0, expected);
            batch.push({ range: { start: ref.positionAt(start), end: ref.positionAt(end) }, text: insert });
            expected = expected.slice(0, start) + insert + expected.slice(end);
          }
        }
        const doc = store.change(uri, step + 2, batch);
        assert.ok(doc?.tree, `no tree at step ${step}`);
        assert.equal(doc.text, expected, `text diverged at step ${step}`);
        // A broken incremental result is settled when typing pauses (here: every third step, so that several
        // unsettled trees follow each other); error-free results must equal a fresh parse as they are.
        if (doc.tree.rootNode.hasError) {
          if (step % 3 !== 0) continue;
          store.settle(uri);
        }
        assert.ok(doc.tree);
        const reference = fresh.parse(expected);
        assert.ok(reference);
        try {
          assert.equal(doc.tree.rootNode.toString(), reference.rootNode.toString(), `tree diverged at step ${step} (seed ${seed})`);
          if (step % 10 === 0) {
            assert.equal(dumpWithPositions(doc.tree), dumpWithPositions(reference), `positions diverged at step ${step}`);
          }
        } finally {
          reference.delete();
        }
      }
      assert.ok(store.stats.incremental > 0, 'some re-parses reused the previous tree');
      store.dispose();
    });
  }

  for (const [name, seed, edits, eol] of [
    ['LF text', 3, 1000, '\n'],
    ['CRLF text', 4, 600, '\r\n'],
  ] as const) {
    it(`${edits} random edits that keep ${name} well-formed all take the incremental path (seed ${seed})`, () => {
      const rnd = new Random(seed);
      const original = fixture('kernels.pyx').replace(/\r?\n/g, eol);
      const store = new DocumentStore(parser);
      const uri = 'file:///valid.pyx';
      let expected = original;
      store.open(uri, 'cython', 1, expected);
      assert.ok(store.get(uri)?.tree);
      const before = { ...store.stats };
      for (let step = 0; step < edits; step++) {
        const { start, end, insert } = validChange(rnd, expected, eol);
        const ref = TextDocument.create(uri, 'cython', 0, expected);
        const change = { range: { start: ref.positionAt(start), end: ref.positionAt(end) }, text: insert };
        expected = expected.slice(0, start) + insert + expected.slice(end);
        const doc = store.change(uri, step + 2, [change]);
        assert.ok(doc?.tree);
        assert.equal(doc.text, expected);
        const reference = fresh.parse(expected);
        assert.ok(reference);
        try {
          assert.equal(reference.rootNode.hasError, false, `generator made invalid code at step ${step}: ${JSON.stringify(change)}`);
          assert.equal(dumpWithPositions(doc.tree), dumpWithPositions(reference), `diverged at step ${step} (seed ${seed})`);
        } finally {
          reference.delete();
        }
      }
      assert.equal(store.stats.incremental - before.incremental, edits, 'every re-parse reused the previous tree');
      assert.equal(store.stats.fresh, before.fresh);
      store.dispose();
    });
  }

  it('keeps LSP lines right when an edit glues a lone CR and a LF into one line break', () => {
    const store = new DocumentStore(parser);
    store.open('file:///cr.pyx', 'cython', 1, 'a = 1\rb = 2\nc = 3\n');
    const doc = store.change('file:///cr.pyx', 2, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' },
    ]);
    assert.equal(doc?.text, 'a = 1\r\nb = 2\nc = 3\n');
    assert.equal(doc.textDocument.lineCount, 4);
    assert.deepEqual(doc.textDocument.positionAt(doc.text.indexOf('c')), { line: 2, character: 0 });
    const again = store.change('file:///cr.pyx', 3, [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, text: 'C' },
    ]);
    assert.equal(again?.text, 'a = 1\r\nb = 2\nC = 3\n');
    store.dispose();
  });

  it('a broken incremental result is settled (parsed from scratch) on request, only below FRESH_REPARSE_LIMIT', () => {
    const store = new DocumentStore(parser);
    const breakIt = [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 4 } }, text: '(' }];
    const small = 'x = 1\n'.repeat(10);
    const big = 'x = 1\n'.repeat(Math.ceil(FRESH_REPARSE_LIMIT / 6) + 10);
    store.open('file:///small.pyx', 'cython', 1, small);
    store.open('file:///big.pyx', 'cython', 1, big);
    assert.ok(store.get('file:///small.pyx')?.tree && store.get('file:///big.pyx')?.tree);
    const s0 = { ...store.stats };
    // the keystroke itself: an incremental re-parse
    assert.equal(store.change('file:///small.pyx', 2, breakIt)?.tree?.rootNode.hasError, true);
    assert.deepEqual(store.stats, { incremental: s0.incremental + 1, fresh: s0.fresh, canonicalized: s0.canonicalized, restarts: 0 });
    assert.equal(store.needsSettling('file:///small.pyx'), true);
    const incremental = store.get('file:///small.pyx')?.tree;
    assert.equal(store.settle('file:///small.pyx'), true);
    assert.notEqual(store.get('file:///small.pyx')?.tree, incremental);
    assert.equal(store.get('file:///small.pyx')?.tree?.rootNode.toString(), parser.parse(store.get('file:///small.pyx')?.text ?? '')?.rootNode.toString());
    assert.deepEqual(store.stats, { incremental: s0.incremental + 1, fresh: s0.fresh + 1, canonicalized: s0.canonicalized + 1, restarts: 0 });
    assert.equal(store.needsSettling('file:///small.pyx'), false);
    assert.equal(store.settle('file:///small.pyx'), false, 'settled once');
    // too large: kept as it is
    assert.equal(store.change('file:///big.pyx', 2, breakIt)?.tree?.rootNode.hasError, true);
    assert.equal(store.needsSettling('file:///big.pyx'), false);
    assert.equal(store.settle('file:///big.pyx'), false);
    assert.deepEqual(store.stats, { incremental: s0.incremental + 2, fresh: s0.fresh + 1, canonicalized: s0.canonicalized + 1, restarts: 0 });
    store.dispose();
  });

  it('replaces a parser that throws (WASM trap) and parses the document from scratch', () => {
    const logs: string[] = [];
    let calls = 0;
    const flaky = {
      language: parser.language,
      parse(): never {
        calls++;
        throw new Error('RuntimeError: memory access out of bounds');
      },
      delete(): void {},
    } as unknown as Parser;
    const store = new DocumentStore(flaky, { log: (m) => logs.push(m) });
    const doc = store.open('file:///flaky.pyx', 'cython', 1, 'x = 1\n');
    assert.equal(doc.tree?.rootNode.toString(), fresh.parse('x = 1\n')?.rootNode.toString());
    assert.equal(calls, 1);
    assert.equal(store.stats.restarts, 1);
    assert.match(logs[0] ?? '', /tree-sitter failed on file:\/\/\/flaky\.pyx .*restarting the parser/);
    const next = store.change('file:///flaky.pyx', 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'y = 2\n' }]);
    assert.match(next?.tree?.rootNode.toString() ?? '', /\(module \(expression_statement.*\(expression_statement/);
    assert.equal(store.stats.restarts, 1, 'the new parser keeps working');
    store.dispose();
  });

  it('a full-text change replaces the tree; unknown documents are ignored', () => {
    const store = new DocumentStore(parser);
    store.open('file:///a.pyx', 'cython', 1, 'x = 1\n');
    const doc = store.change('file:///a.pyx', 2, [{ text: 'def f():\n    return 2\n' }]);
    assert.equal(doc?.text, 'def f():\n    return 2\n');
    assert.match(doc?.tree?.rootNode.toString() ?? '', /function_definition/);
    assert.equal(store.change('file:///missing.pyx', 1, [{ text: 'x' }]), undefined);
    store.dispose();
  });

  it('skips binary and too-large documents with a clear reason, and recovers when they shrink', () => {
    const store = new DocumentStore(parser, { maxFileSize: () => 4096 });
    const bin = store.open('file:///bin.pyx', 'cython', 1, 'x = 1\n\0\0\x01');
    assert.equal(bin.tree, undefined);
    assert.equal(bin.skipped?.kind, 'binary');
    const big = store.open('file:///big.pyx', 'cython', 1, 'x = 1\n'.repeat(1000));
    assert.equal(big.skipped?.kind, 'too-large');
    assert.match(big.skipped?.message ?? '', /over the 4 KB limit/);
    const small = store.change('file:///big.pyx', 2, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1000, character: 0 } }, text: '' },
    ]);
    assert.equal(small?.skipped, undefined);
    assert.ok(small?.tree);
    assert.equal(small.text, 'x = 1\n');
    store.dispose();
  });
});
