/**
 * A fixture per rule: every code of the shared table reported by a GIL rule or a check has `fixtures/<code>.pyx`
 * beside the code that reports it, with `_` for `-` so that the compiler takes the file name as a module name
 * (GIL rules: server/src/checks/gil/fixtures/, e.g. nogil_python_global.pyx), in the style of Cython's own
 * tests/errors: what it flags and what it must not flag, with the expected messages in blocks at the end
 * (`LINE:COL: message`, the first line of each message):
 *
 * - `_ERRORS`, `_WARNINGS`, `_PERFORMANCE_HINTS`: exactly what the pinned compiler (`cython -3`) reports;
 * - `_CYTHON_LENS_ONLY`: what our engine reports under codes the compiler has no message for (rows of the table
 *   with no compiler message), compared with our engine only;
 * - `_COMPILER_ONLY`: entries of the compiler's blocks our engine does not reproduce: messages outside our rules
 *   ("Unreachable code", C++ mode), the compiler's wording of syntax errors, or on purpose what depends on a file
 *   we cannot find (unknown is not Python).
 *
 * Each fixture (and each cross-rule fixture in server/src/checks/gil/fixtures/semantics/, where `.py` files are pure
 * Python mode fixtures) is run through the
 * compiler and through our engine, and both must agree with its blocks: the compiler exactly (line, column,
 * message); our engine on line and message (and column for its own messages).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { ALL_DIAGNOSTIC_CODES, diagnosticCodeInfo, isDiagnosticCode, type CompilerMessageKind } from '../../shared/src/diagnostic-codes';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { REPO_ROOT } from '../support/paths';
import { VENV_PYTHON, compileAll, fixtureBlocks, type BlockEntry, type CompilerMessage } from '../support/compiler';
import { analyses } from '../../server/src/checks';

const SERVER = path.join(REPO_ROOT, 'server', 'src');
const GIL_FIXTURES = path.join(SERVER, 'checks', 'gil', 'fixtures');
const SEMANTICS = path.join(GIL_FIXTURES, 'semantics');
const CYPCLASS = path.join(SERVER, 'checks', 'cypclass');
const CYPCLASS_FIXTURES = path.join(CYPCLASS, 'fixtures');

/** Every `.pyx` directly in a `fixtures/` folder under server/src, and the cross-rule fixtures. */
function findFixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const sub = path.join(dir, e.name);
      // Cython+ fixtures compile with the cython-plus compiler: test/checks/cypclass-fixtures.test.ts
      if (sub === CYPCLASS) continue;
      if (e.name === 'fixtures') {
        for (const f of fs.readdirSync(sub)) if (f.endsWith('.pyx')) out.push(path.join(sub, f));
      } else {
        walk(sub);
      }
    }
  };
  walk(SERVER);
  // cross-rule fixtures, in pure Python mode too (`.py` files that import cython, compiled by `cython -3` the same way)
  for (const f of fs.readdirSync(SEMANTICS)) if (f.endsWith('.pyx') || f.endsWith('.py')) out.push(path.join(SEMANTICS, f));
  return out.sort();
}

const relative = (file: string): string => path.relative(REPO_ROOT, file);
/** The code a per-rule fixture is named after (`nogil_python_global.pyx`: `nogil-python-global`). */
const codeOf = (file: string): string => path.basename(file, '.pyx').replace(/_/g, '-');
const isPerCode = (file: string): boolean => path.dirname(file) !== SEMANTICS;

/** The compiler's kind of message our diagnostic stands for, or 'ours' for codes the compiler has no message for. */
function kindOf(d: Diagnostic): CompilerMessageKind | 'ours' {
  if (!isDiagnosticCode(d.code) || diagnosticCodeInfo(d.code).compiler.length === 0) return 'ours';
  return d.severity === DiagnosticSeverity.Error ? 'error' : d.severity === DiagnosticSeverity.Warning ? 'warning'
    : 'performance hint';
}

const show = (kind: string, e: { line: number; column: number; message: string }): string =>
  `${kind} ${e.line}:${e.column}: ${e.message}`;
const sameEntry = (a: BlockEntry, b: BlockEntry): boolean =>
  a.line === b.line && a.column === b.column && a.message === b.message;

/** The concurrency for the compiler runs: the machine's cores (node --test runs other test files meanwhile). */
const CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism()));

describe('a fixture per rule, agreeing with the compiler and with our engine', () => {
  const fixtures = findFixtures();
  let engine: Engine;
  let compiled: Map<string, CompilerMessage[]>;
  before(async () => {
    const started = Date.now();
    const [, c] = await Promise.all([
      // a generous budget: the checks stop at their deadline, which a machine busy compiling would reach
      Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 }).then(async (e) => {
        engine = e;
        await e.session.discover(VENV_PYTHON);
      }),
      compileAll(fixtures, CONCURRENCY),
    ]);
    compiled = c;
    console.log(`compiled ${fixtures.length} fixtures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  after(() => engine?.dispose());

  it('has a fixture for every code reported by a GIL rule or a check, beside it', () => {
    const perCode = new Map<string, string[]>();
    const cypclass = fs.readdirSync(CYPCLASS_FIXTURES).filter((f) => f.endsWith('.pyx')).map((f) => path.join(CYPCLASS_FIXTURES, f));
    for (const f of [...fixtures.filter(isPerCode), ...cypclass]) perCode.set(codeOf(f), [...(perCode.get(codeOf(f)) ?? []), f]);
    const missing: string[] = [];
    for (const code of ALL_DIAGNOSTIC_CODES) {
      const { reportedBy } = diagnosticCodeInfo(code);
      if (reportedBy === 'engine') continue;
      const files = perCode.get(code) ?? [];
      if (files.length === 0) missing.push(code);
      assert.ok(files.length <= 1, `${code} has several fixtures: ${files.map(relative).join(', ')}`);
      if (reportedBy === 'gil-rule' && files.length) {
        assert.equal(path.dirname(files[0]!), GIL_FIXTURES, `the fixture of GIL rule ${code} is not in checks/gil/fixtures`);
      }
    }
    assert.deepEqual(missing, [], 'codes without a fixture (add fixtures/<code with _ for ->.pyx beside the rule)');
    for (const f of fixtures.filter(isPerCode)) {
      assert.ok(isDiagnosticCode(codeOf(f)), `${relative(f)} is not named after a code of shared/src/diagnostic-codes.ts`);
    }
  });

  for (const file of fixtures) {
    it(`${relative(file)}`, () => {
      const source = fs.readFileSync(file, 'utf8');
      const blocks = fixtureBlocks(source);
      const compiler = compiled.get(file);
      assert.ok(compiler, 'not compiled');

      // 1. The compiler says exactly what the blocks say.
      const written = Object.entries(blocks.compiler).flatMap(([kind, es]) => es.map((e) => show(kind, e)));
      assert.deepEqual(compiler.map((m) => show(m.kind, m)).sort(), written.sort(),
        `the compiler blocks of ${relative(file)} differ from cython -3`);
      for (const e of blocks.compilerOnly) {
        assert.ok(Object.values(blocks.compiler).some((es) => es.some((x) => sameEntry(x, e))),
          `_COMPILER_ONLY entry ${show('', e)} is not in the compiler's blocks`);
      }

      // 2. Our engine says the same, and its codes are rows of the table.
      const uri = pathToFileURL(file).toString();
      engine.open(uri, source, 1, file.endsWith('.py') ? 'python' : 'cython');
      const report = engine.analyze(uri, defaultSettings());
      engine.close(uri);
      assert.ok(report);
      for (const d of report.diagnostics) {
        assert.ok(isDiagnosticCode(d.code), `code ${String(d.code)} (${d.message}) is not in shared/src/diagnostic-codes.ts`);
      }
      // Performance hints come from the compiler's later phases, which it skips after an error: when it reports
      // errors, our extra hints are not compared (its own hints still are).
      const hadErrors = compiler.some((m) => m.kind === 'error');
      const key = (kind: string, line: number, message: string): string => `${kind} ${line}: ${message}`;
      // Line and message (the compiler may say the same thing twice at one place; our ranges follow the construct,
      // the compiler's column its node's start, which differ); the columns of our own messages are exact.
      const expected = new Set([
        ...Object.entries(blocks.compiler).flatMap(([kind, es]) => es
          .filter((e) => !blocks.compilerOnly.some((x) => sameEntry(x, e)))
          .map((e) => key(kind, e.line, e.message))),
        ...blocks.oursOnly.map((e) => key('ours', e.line, e.message)),
      ]);
      const got = new Map<string, Diagnostic>();
      for (const d of report.diagnostics) got.set(key(kindOf(d), d.range.start.line + 1, d.message.split('\n')[0] ?? ''), d);
      const problems: string[] = [];
      for (const k of expected) if (!got.has(k)) problems.push(`missed: ${k}`);
      for (const [k, d] of got) {
        if (expected.has(k) || (hadErrors && kindOf(d) === 'performance hint')) continue;
        problems.push(`extra: ${k} [${String(d.code)}]`);
      }
      for (const e of blocks.oursOnly) {
        const d = got.get(key('ours', e.line, e.message));
        if (d && d.range.start.character !== e.column) problems.push(`at column ${d.range.start.character}: ${show('ours', e)}`);
      }
      assert.deepEqual(problems, [], `our engine on ${relative(file)}`);

      // 3. A rule's fixture shows its rule at work.
      if (isPerCode(file)) {
        assert.ok(report.diagnostics.some((d) => d.code === codeOf(file)), `${relative(file)} never reports ${codeOf(file)}`);
      }
    });
  }
});
