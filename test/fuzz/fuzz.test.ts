/**
 * The short, seeded fuzz run of `npm test` (`npm run fuzz` runs the long one: test/fuzz/run-fuzz.ts).
 * Properties: no crash, no hang, the text is never lost, the incremental tree equals a fresh parse, diagnostics equal
 * those of a freshly opened document; requests (also stale, out-of-range, cancelled ones) always answer; a parser
 * that traps is restarted and says so.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { Engine, TOO_DEEP_CODE } from '../../server/src/engine';
import { syntaxErrorCheck } from '../../server/src/checks/syntax-error-check';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { DocumentStore } from '../../server/src/text/document-store';
import { createParser } from '../../server/src/tree/language';
import { dumpWithPositions } from '../support/tree-dump';
import { fuzzEngine } from './engine-fuzz';
import { checkEnormous } from './enormous-check';
import { ENORMOUS, deepBrackets } from './enormous-inputs';
import { fuzzProtocol } from './protocol-fuzz';
import { realFiles } from './real-files';
import { analyses } from '../../server/src/checks';

/** What V8 throws for a WASM trap (the lib settings of this project do not declare WebAssembly). */
const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly.RuntimeError;

/** Hang detector, not a speed target: an analysis or request this slow is stuck. */
const HANG_MS = 30_000;

describe('fuzz (short seeded run)', { timeout: 240_000 }, () => {
  it('random edit sequences on real and mutated files: no crash, no hang, same tree and diagnostics as a fresh open', async () => {
    const files = realFiles(6);
    assert.ok(files.length >= 4, 'real files to fuzz');
    const stats = await fuzzEngine({ seed: 20261121, files, steps: 40, compareEvery: 3, boundMs: HANG_MS, mutants: true });
    assert.deepEqual(stats.problems, []);
    assert.equal(stats.iterations, files.length * 2 * 40);
    assert.ok(stats.comparisons >= stats.iterations / 3);
  });

  it('requests interleaved with edits (stale, out of range, unknown document, cancelled) all answer; final diagnostics equal a fresh open', async () => {
    const [file] = realFiles(6).filter((f) => f.text.length > 1000);
    assert.ok(file);
    const stats = await fuzzProtocol({ seed: 7, text: file.text, steps: 100, boundMs: HANG_MS });
    assert.deepEqual(stats.problems, []);
    assert.equal(stats.answered, stats.requests);
    assert.ok(stats.requests > 50 && stats.changes > 30 && stats.cancelled > 5);
  });

  for (const { name, make } of ENORMOUS) {
    // 100k lines through every check takes ~a minute of a shared CPU: the short run gives it the syntax check only
    // (the parser, the document store, the engine); `npm run fuzz` runs every input through every check.
    const options = name === '100k lines' ? { checks: [syntaxErrorCheck], annotators: [] } : {};
    it(`${name}: analysed without an internal error, edited in the middle, text intact${name === '100k lines' ? ' (syntax check)' : ''}`, async () => {
      const { problems } = await checkEnormous(name, make(), options);
      assert.deepEqual(problems, []);
    });
  }

  it('code nested too deeply for the recursive checks: they are skipped with a note, the syntax check still reports', async () => {
    const engine = await Engine.create({ ...analyses, log: () => undefined });
    engine.open('file:///fuzz/deep.pyx', deepBrackets(10_000), 1);
    const report = engine.analyze('file:///fuzz/deep.pyx', defaultSettings());
    assert.equal(report?.status.state, 'ok');
    assert.ok(report.diagnostics.some((d) => d.code === TOO_DEEP_CODE && /nested too deeply/.test(d.message)));
    assert.ok(report.diagnostics.some((d) => d.code === 'syntax'), 'the unclosed { is still reported');
    engine.dispose();
  });

  it('a parse over the time limit is abandoned with a clear note (tree-sitter error recovery can be quadratic), the text kept', async () => {
    const parser = await createParser();
    const logs: string[] = [];
    // a limit already passed: the first progress check abandons the parse
    const store = new DocumentStore(parser, { parseTimeLimitMs: -1, log: (m) => logs.push(m) });
    const text = 'x = (\n' + 'y = 1\n'.repeat(5000);
    const doc = store.open('file:///slow.pyx', 'cython', 1, text);
    assert.equal(doc.tree, undefined);
    assert.equal(doc.skipped?.kind, 'parse-failed');
    assert.match(doc.skipped?.message ?? '', /parsing it took longer than .* it is parsed again at the next change/);
    assert.match(logs.join('\n'), /slow\.pyx \(version 1\): parse abandoned/);
    assert.equal(doc.text, text);
    store.dispose();
    // the same parser, reset, parses normally afterwards
    const ok = new DocumentStore(parser);
    assert.ok(ok.open('file:///slow.pyx', 'cython', 1, text).tree);
    ok.dispose();
    parser.delete();
  });

  it('a WASM trap in the parser restarts it, says so in the log, and keeps the text and a correct tree', async () => {
    const real = await createParser();
    let trapNext = false;
    const trapping = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'parse') {
          return (...args: Parameters<Parser['parse']>) => {
            if (trapNext) {
              trapNext = false;
              throw new WasmRuntimeError('unreachable');
            }
            return target.parse(...args);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const logs: string[] = [];
    const store = new DocumentStore(trapping, { log: (m) => logs.push(m) });
    const text = 'cdef int f(int x) noexcept nogil:\n    return x + 1\n';
    store.open('file:///trap.pyx', 'cython', 1, text);
    assert.ok(store.get('file:///trap.pyx')?.tree);
    trapNext = true;
    const doc = store.change('file:///trap.pyx', 2, [{ range: { start: { line: 1, character: 16 }, end: { line: 1, character: 16 } }, text: '0' }]);
    const expected = 'cdef int f(int x) noexcept nogil:\n    return x + 10\n';
    assert.equal(doc?.text, expected);
    assert.ok(doc.tree, 'a tree after the restart');
    const fresh = await createParser();
    const reference = fresh.parse(expected);
    assert.ok(reference);
    assert.equal(dumpWithPositions(doc.tree), dumpWithPositions(reference));
    assert.equal(store.stats.restarts, 1);
    assert.match(logs.join('\n'), /tree-sitter failed on file:\/\/\/trap\.pyx \(version 2\): RuntimeError: unreachable; restarting the parser/);
    // the new parser keeps working incrementally
    const before = store.stats.incremental;
    const again = store.change('file:///trap.pyx', 3, [{ range: { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } }, text: '  ' }]);
    assert.ok(again?.tree && !again.tree.rootNode.hasError);
    assert.equal(store.stats.incremental, before + 1);
    reference.delete();
    fresh.delete();
    store.dispose();
    real.delete();
  });
});
