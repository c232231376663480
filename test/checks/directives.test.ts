/**
 * The directive check against the real compiler on small modules: what the compiler says about `# cython:` comment
 * values, decorator and with-item values and scopes, line by line and word for word (the fixtures of
 * server/src/checks/directives/ hold one fatal case each; these hold one case per module). Where the pinned
 * compiler crashes after or instead of reporting (a module-only check on a header directive, a bad `one_of` value
 * in a decorator), our message must be the one its output carries.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { diagnosticCodeInfo, isDiagnosticCode } from '../../shared/src/diagnostic-codes';
import { analyses } from '../../server/src/checks';
import { directiveCheck } from '../../server/src/checks/directive-check';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { VENV_PYTHON, compileAll } from '../support/compiler';

const CASES: Record<string, string> = {
  header_bool: '# cython: boundscheck=Fals\nx = 1\n',
  header_bool_yes: '# cython: nonecheck=yes\nx = 1\n',
  header_infer_none: '# cython: infer_types=None\nx = 1\n',
  header_one_of: '# cython: c_string_type=foo\nx = 1\n',
  header_one_of_dotted: '# cython: language_level=3, boundscheck=False\n# cython: embedsignature.format=x\nx = 1\n',
  header_subinterpreters: '# cython: subinterpreters_compatible=maybe\nx = 1\n',
  header_int: '# cython: language_level=3\n# cython: optimize.use_switch=False, boundscheck=True\nx = 1\n',
  header_missing_eq: '# cython: boundscheck=False, foo\nx = 1\n',
  header_two_lines: '# cython: boundscheck=1\n# cython: wraparound=0\nx = 1\n',
  header_unknown_ignored: '# cython: freelist=8, bounscheck=False\nx = 1\n',
  header_fine: '# cython: boundscheck=False, wraparound=False, cdivision=True, language_level=3str\n# cython: c_string_type=unicode, c_string_encoding=ascii\nx = 1\n',
  decorator_int: 'cimport cython\n\n@cython.freelist("a")\ncdef class A:\n    pass\n',
  decorator_bare_needs_value: 'cimport cython\n\n@cython.c_string_type\ndef f():\n    pass\n',
  decorator_dict: 'cimport cython\n\n@cython.locals(1)\ndef f(x):\n    return x\n',
  decorator_type: 'cimport cython\n\n@cython.returns()\ndef f(x):\n    return x\n',
  decorator_scope_second: 'cimport cython\n\n@cython.boundscheck(False)\n@cython.auto_pickle(False)\n@cython.wraparound(False)\ndef f(x):\n    return x\n',
  decorator_fine: 'cimport cython\n\n@cython.cfunc\n@cython.exceptval(-1)\n@cython.locals(a=cython.double)\n@cython.optimize.use_switch(False)\ndef f(a) -> cython.int:\n    return 1\n',
  with_bool: 'cimport cython\n\ndef f(double[:] x):\n    with cython.boundscheck(Fals):\n        return x[0]\n',
  with_string: 'cimport cython\n\ndef f(double[:] x):\n    with cython.c_string_type(1):\n        return x[0]\n',
  decorator_def_constant: 'cimport cython\n\nDEF SIZE = 8\n\n@cython.freelist(SIZE)\ncdef class A:\n    pass\n',
  class_scope: 'cimport cython\n\n@cython.boundscheck(False)\n@cython.no_gc_clear\nclass A:\n    pass\n',
};

/** The compiler stops with an internal error; our message must be in its output. */
const CRASHES: Record<string, string> = {
  header_scope: '# cython: c_compile_guard=x\nx = 1\n',
  decorator_one_of: 'cimport cython\n\n@cython.embedsignature.format("x")\ndef f():\n    pass\n',
};

const compilerCodes = (code: unknown): boolean => isDiagnosticCode(code) && diagnosticCodeInfo(code).compiler.length > 0;

describe('directive messages agree with the compiler', () => {
  let dir: string;
  let engine: Engine;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-directives-'));
    engine = await Engine.create({ ...analyses, log: () => undefined });
  });
  after(() => {
    engine?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ours = (file: string, text: string): string[] => {
    const uri = pathToFileURL(file).toString();
    engine.open(uri, text, 1);
    const report = engine.analyze(uri, defaultSettings());
    engine.close(uri);
    assert.ok(report);
    return report.diagnostics.filter((d) => (directiveCheck.codes as readonly unknown[]).includes(d.code) && compilerCodes(d.code))
      .map((d) => `${d.range.start.line + 1}: ${d.message.split('\n')[0]}`).sort();
  };

  it('says what cython -3 says, case by case', async () => {
    const files = Object.entries(CASES).map(([name, text]) => {
      const file = path.join(dir, `${name}.pyx`);
      fs.writeFileSync(file, text);
      return file;
    });
    const compiled = await compileAll(files, 2);
    const problems: string[] = [];
    let messages = 0;
    for (const file of files) {
      const theirs = (compiled.get(file) ?? []).filter((m) => m.kind === 'error').map((m) => `${m.line}: ${m.message}`).sort();
      messages += theirs.length;
      const mine = ours(file, fs.readFileSync(file, 'utf8'));
      if (JSON.stringify(theirs) !== JSON.stringify(mine)) {
        problems.push(`${path.basename(file)}: compiler ${JSON.stringify(theirs)}, ours ${JSON.stringify(mine)}`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(messages >= 15, `only ${messages} compiler messages compared`);
    console.log(`directive messages: ${files.length} modules, ${messages} compiler errors, the same from our check`);
  });

  it('where the compiler crashes, our message is the one in its output', () => {
    for (const [name, text] of Object.entries(CRASHES)) {
      const file = path.join(dir, `${name}.pyx`);
      fs.writeFileSync(file, text);
      const run = spawnSync(VENV_PYTHON, ['-m', 'cython', '-3', '-o', path.join(dir, `${name}.c`), file], { encoding: 'utf8' });
      const output = `${run.stdout}\n${run.stderr}`;
      assert.match(output, /Compiler crash/, `${name}: the compiler no longer crashes; move the case to CASES`);
      const mine = ours(file, text);
      assert.equal(mine.length, 1, `${name}: ${JSON.stringify(mine)}`);
      assert.ok(output.includes(mine[0]!.replace(/^\d+: /, '')), `${name}: ${mine[0]} not in the compiler's output`);
    }
  });
});
