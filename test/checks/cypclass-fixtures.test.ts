/**
 * The Cython+ capability rules (server/src/checks/cypclass/, one per code) against the cython-plus compiler: each
 * fixture in server/src/checks/cypclass/fixtures/<code>.pyx compiles (`cython --cplus` of .venv-cyplus,
 * scripts/setup-cyplus.sh) with exactly the errors of its `_ERRORS` block, and our engine reports the same errors
 * (line, column and the first line of the message) and no other error. The rules of our own (warnings and hints for
 * what the compiler lets through) list what they report in `_CYTHON_LENS_ONLY`: the compiler accepts their fixture
 * (no error) and our engine reports exactly those under our own cypclass codes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { cypclassRules } from '../../server/src/checks/cypclass-check';
import { REPO_ROOT } from '../support/paths';
import { fixtureBlocks } from '../support/compiler';
import { compileWithCyplus, requireCyplus } from '../support/cyplus';
import { analyses } from '../../server/src/checks';
import { DIAGNOSTIC_CODES } from '../../shared/src/diagnostic-codes';

/** Our own cypclass codes (no compiler message): the warnings and hints of what the compiler accepts. */
const OUR_CODES = new Set(cypclassRules.map((r) => r.code).filter((c) => DIAGNOSTIC_CODES[c].compiler.length === 0));

const FIXTURES = path.join(REPO_ROOT, 'server', 'src', 'checks', 'cypclass', 'fixtures');
const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pyx')).sort();

describe('cypclass capability rules agree with the cython-plus compiler', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined });
  });
  after(() => engine.dispose());

  it('has a fixture per cypclass rule', () => {
    assert.deepEqual(files.map((f) => f.replace(/\.pyx$/, '').replace(/_/g, '-')).sort(),
      cypclassRules.map((r) => r.code).sort());
  });

  for (const name of files) {
    it(name, () => {
      requireCyplus();
      const file = path.join(FIXTURES, name);
      const source = fs.readFileSync(file, 'utf8');
      const blocks = fixtureBlocks(source);
      const expected = blocks.compiler.error.map((e) => `${e.line}:${e.column}: ${e.message}`).sort();
      const expectedOurs = blocks.oursOnly.map((e) => `${e.line}:${e.column}: ${e.message}`).sort();
      assert.ok(expected.length + expectedOurs.length > 0, 'a fixture shows its rule at work');
      const oracle = compileWithCyplus(file).filter((m) => m.kind === 'error').map((m) => `${m.line}:${m.column}: ${m.message}`);
      assert.deepEqual(oracle.sort(), expected, 'the compiler differs from _ERRORS');
      const uri = pathToFileURL(file).toString();
      engine.open(uri, source, 1);
      const report = engine.analyze(uri, defaultSettings());
      engine.close(uri);
      const ours = (report?.diagnostics ?? []).filter((d) => d.severity === DiagnosticSeverity.Error)
        .map((d) => `${d.range.start.line + 1}:${d.range.start.character}: ${d.message.split('\n')[0]}`);
      assert.deepEqual(ours.sort(), expected, 'our engine differs from _ERRORS');
      const oursOnly = (report?.diagnostics ?? []).filter((d) => OUR_CODES.has(String(d.code) as never))
        .map((d) => `${d.range.start.line + 1}:${d.range.start.character}: ${d.message.split('\n')[0]}`);
      assert.deepEqual(oursOnly.sort(), expectedOurs, 'our engine differs from _CYTHON_LENS_ONLY');
      const code = name.replace(/\.pyx$/, '').replace(/_/g, '-');
      assert.ok(report?.diagnostics.some((d) => d.code === code));
    });
  }
});
