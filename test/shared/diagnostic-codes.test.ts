/**
 * The table of diagnostic codes (shared/src/diagnostic-codes.ts) agrees with everything that names codes: the GIL
 * rules, the other checks and the engine (each table row is reported by someone, each reported code is a row), the
 * quick fixes, the `cythonLens.severityOverrides` settings schema in package.json and the README's list of codes.
 * (That every code our engine emits on real input is a row is checked on the fixtures: test/checks/rule-fixtures.test.ts.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ALL_DIAGNOSTIC_CODES, DIAGNOSTIC_CODES, diagnosticCodeInfo, isDiagnosticCode } from '../../shared/src/diagnostic-codes';
import { documentChecks } from '../../server/src/checks';
import { gilRules } from '../../server/src/checks/gil';
import { quickFixProviders } from '../../server/src/code-actions/quick-fixes';
import { ENGINE_CODES } from '../../server/src/engine';
import { REPO_ROOT } from '../support/paths';

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
const rowsReportedBy = (who: string): string[] =>
  ALL_DIAGNOSTIC_CODES.filter((c) => diagnosticCodeInfo(c).reportedBy === who);
const duplicates = (xs: readonly string[]): string[] => xs.filter((x, i) => xs.indexOf(x) !== i);

describe('the table of diagnostic codes', () => {
  it('has one GIL rule per gil-rule row, and a row for each rule', () => {
    const codes = gilRules.map((r) => r.code);
    assert.deepEqual(duplicates(codes), [], 'two GIL rules share a code');
    assert.deepEqual(sorted(codes), sorted(rowsReportedBy('gil-rule')));
  });

  it('lists every code the checks declare, and each check row is declared by a check', () => {
    const declared = documentChecks.flatMap((c) => c.codes);
    assert.deepEqual(duplicates(declared), [], 'two checks declare the same code');
    for (const c of declared) assert.ok(isDiagnosticCode(c), `${c} is not in the table`);
    const gil = new Set<string>(gilRules.map((r) => r.code));
    assert.deepEqual(sorted(declared.filter((c) => !gil.has(c))), sorted(rowsReportedBy('check')));
    for (const c of gil) assert.ok(declared.includes(c as never), `the gil check does not declare ${c}`);
  });

  it("lists the engine's own codes as engine rows", () => {
    assert.deepEqual(sorted(ENGINE_CODES), sorted(rowsReportedBy('engine')));
  });

  it('names only codes of the table in the quick fixes', () => {
    for (const p of quickFixProviders) {
      for (const c of p.codes) assert.ok(c === '*' || isDiagnosticCode(c), `quick fix for unknown code ${c}`);
    }
  });

  it('has codes in kebab case and a one-line summary ending with a full stop', () => {
    for (const c of ALL_DIAGNOSTIC_CODES) {
      assert.match(c, /^[a-z]+(-[a-z]+)*$/);
      const { summary, compiler } = diagnosticCodeInfo(c);
      assert.match(summary, /^[^\n]+\.$/, c);
      // our own codes say so in their summary (the README and the settings show it)
      assert.equal(summary.startsWith('Ours: '), compiler.length === 0, `${c}: "Ours: " iff no compiler message`);
    }
  });

  it('equals the keys of the cythonLens.severityOverrides schema in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, {
        properties?: Record<string, { enum?: string[]; description?: string }>; additionalProperties?: unknown }> } };
    };
    const schema = pkg.contributes.configuration.properties['cythonLens.severityOverrides'];
    assert.ok(schema?.properties, 'no properties in the severityOverrides schema: run node scripts/sync-codes.mjs');
    assert.deepEqual(Object.keys(schema.properties), ALL_DIAGNOSTIC_CODES,
      'package.json differs from the table: run node scripts/sync-codes.mjs');
    assert.equal(schema.additionalProperties, false);
    for (const [code, prop] of Object.entries(schema.properties)) {
      assert.deepEqual(prop.enum, ['error', 'warning', 'information', 'hint', 'off'], code);
      const info = DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES];
      assert.equal(prop.description, `${info.summary} Default: ${info.severity}.`, code);
    }
  });

  it("equals the README's list of codes", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const list = /<!-- codes:begin[^>]*-->([\s\S]*?)<!-- codes:end -->/.exec(readme);
    assert.ok(list, 'README.md has no codes:begin / codes:end list');
    const rows = list[1].split('\n').map((l) => /^\| `([^`]+)` \| (\w+) \| ([^|]+) \|/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    assert.deepEqual(rows.map((m) => m[1]), ALL_DIAGNOSTIC_CODES,
      'README.md differs from the table: run node scripts/sync-codes.mjs');
    for (const m of rows) {
      const info = DIAGNOSTIC_CODES[m[1] as keyof typeof DIAGNOSTIC_CODES];
      assert.equal(m[2], info.severity, m[1]);
      assert.equal(m[3].trim(), info.compiler.length ? info.compiler.join(', ') : 'none (ours)', m[1]);
    }
  });
});
