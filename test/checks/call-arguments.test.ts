/**
 * The call-arguments check against the real compiler: each of its fixtures (server/src/checks/fixtures/
 * call_arguments.pyx, call-arguments/good_calls.pyx, and lapack-calls/fixtures/lapack_workspace.pyx) is compiled with the pinned Cython
 * (`.venv/bin/cython -3`) and the check must report exactly the compiler's errors
 * (same line, same message, at the compiler's column); on good calls neither reports anything.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { CALL_ARGUMENTS_CODE, callArgumentsCheck } from '../../server/src/checks/call-arguments';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { REPO_ROOT } from '../support/paths';
import { analyses } from '../../server/src/checks';

const FIXTURES = path.join(REPO_ROOT, 'server', 'src', 'checks', 'fixtures');
/** The LWORK rule's fixture, beside it (checks/lapack-calls/lapack-workspace.ts). */
const WORKSPACE_FIXTURE = path.join(REPO_ROOT, 'server', 'src', 'checks', 'lapack-calls', 'fixtures', 'lapack_workspace.pyx');
const CYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'cython');
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');

interface CompilerError {
  line: number;
  column: number;
  message: string;
}

/** Runs the compiler; its errors as `file:LINE:COL: message` lines (0-based column), warnings left out. */
function compile(file: string, outDir: string): Promise<CompilerError[]> {
  return new Promise((resolve, reject) => {
    execFile(CYTHON, ['-3', file, '-o', path.join(outDir, `${path.basename(file, '.pyx')}.c`)], { timeout: 120000 },
      (err, _stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`${CYTHON} not found: run scripts/setup-python.sh`));
          return;
        }
        const out: CompilerError[] = [];
        for (const line of stderr.split('\n')) {
          const m = /^(?!warning: )[^:\n]+\.pyx:(\d+):(\d+): (.+)$/.exec(line);
          if (m) out.push({ line: Number(m[1]) - 1, column: Number(m[2]), message: m[3] });
        }
        resolve(out);
      });
  });
}

/** The site-packages of the project's venv (where scipy's .pxd files are). */
function sitePackages(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', 'import scipy, os; print(os.path.dirname(os.path.dirname(scipy.__file__)))'],
      (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
  });
}

describe('call-arguments check agrees with the compiler', () => {
  let engine: Engine;
  let outDir: string;
  let includeDirs: string[];
  before(async () => {
    engine = await Engine.create({ ...analyses, checks: [callArgumentsCheck], log: () => undefined, timeBudgetMs: 120_000 });
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-call-args-'));
    includeDirs = [await sitePackages()];
  });
  after(() => {
    engine.dispose();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  function ours(name: string): Diagnostic[] {
    const file = path.isAbsolute(name) ? name : path.join(FIXTURES, name);
    const uri = pathToFileURL(file).toString();
    engine.open(uri, fs.readFileSync(file, 'utf8'), 1);
    const report = engine.analyze(uri, { ...defaultSettings(), includeDirs });
    engine.close(uri);
    assert.ok(report);
    assert.equal(report.status.state, 'ok', report.status.message);
    return report.diagnostics;
  }

  it('bad calls: every compiler error, and only those, with its message at its position', async () => {
    const compiler = await compile(path.join(FIXTURES, 'call_arguments.pyx'), outDir);
    const errors = ours('call_arguments.pyx').filter((d) => d.severity === DiagnosticSeverity.Error);
    assert.ok(compiler.length >= 25, `the fixture should exercise many errors, compiler gave ${compiler.length}`);
    const key = (line: number, message: string): string => `${line + 1}: ${message}`;
    assert.deepEqual(errors.map((d) => key(d.range.start.line, d.message)).sort(),
      compiler.map((c) => key(c.line, c.message)).sort());
    for (const c of compiler) {
      const d = errors.find((e) => e.range.start.line === c.line && e.message === c.message
        && e.range.start.character <= c.column && c.column < e.range.end.character);
      assert.ok(d, `no diagnostic covering the compiler's column for ${key(c.line, c.message)} col ${c.column}`);
      assert.equal(d.code, CALL_ARGUMENTS_CODE);
    }
    const fixes = errors.filter((d) => (d.data as { fix?: string } | undefined)?.fix === 'add-address-of');
    assert.deepEqual(fixes.map((d) => d.range.start.line + 1).sort((a, b) => a - b), [40, 41, 47, 48, 50, 50, 54, 67, 82]);
  });

  it('good calls: no error from the compiler, none from the check', async () => {
    assert.deepEqual(await compile(path.join(FIXTURES, 'call-arguments/good_calls.pyx'), outDir), []);
    assert.deepEqual(ours('call-arguments/good_calls.pyx'), []);
  });

  it('LWORK below the documented minimum: the compiler accepts it, the check warns on that argument', async () => {
    assert.deepEqual(await compile(WORKSPACE_FIXTURE, outDir), []);
    const found = ours(WORKSPACE_FIXTURE).filter((d) => d.code === 'lapack-workspace');
    assert.deepEqual(found.map((d) => d.range.start.line + 1), [19, 31, 82]);
    const [w] = found;
    assert.equal(w.severity, DiagnosticSeverity.Warning);
    const text = fs.readFileSync(WORKSPACE_FIXTURE, 'utf8').split('\n')[18];
    assert.equal(text.slice(w.range.start.character, w.range.end.character), '&lwork');
    assert.match(w.message, /^lwork = 5 is below the documented minimum 10 for DGELSS/);
    // symbolically: lwork = n against 3*min(m,n) + max(2*min(m,n), max(m,n), nrhs), the sizes from the arrays
    assert.match(found[1].message, /^lwork = n is below the documented minimum 3\*min\(m, n\) \+ max\(/);
  });
});
