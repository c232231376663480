/** The directive table (data/directives/) is the pinned Cython's, unchanged since scripts/build-directive-table.py wrote it. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  DIRECTIVE_TABLE, allowedInScope, directiveInfo, pythonDefault, settableInHeader,
} from '../../server/src/model/directive-table';
import { REPO_ROOT } from '../support/paths';

const DATA = path.join(REPO_ROOT, 'data', 'directives');
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('the directive table', () => {
  const provenance = JSON.parse(fs.readFileSync(path.join(DATA, 'PROVENANCE.json'), 'utf8'));

  it('is the file its provenance records, from the Options.py of the Cython in .venv', () => {
    assert.equal(sha256(path.join(DATA, 'directives.json')), provenance.output['directives.json']);
    const lib = path.join(REPO_ROOT, '.venv', 'lib');
    const py = fs.readdirSync(lib).find((d) => d.startsWith('python'));
    assert.ok(py, 'no .venv/lib/python*');
    const options = path.join(lib, py, 'site-packages', 'Cython', 'Compiler', 'Options.py');
    assert.equal(sha256(options), provenance.cython.files['Cython/Compiler/Options.py'].sha256);
    assert.equal(DIRECTIVE_TABLE.cython, provenance.cython.version);
    assert.equal(DIRECTIVE_TABLE.directives.length, provenance.counts.directives);
    assert.ok(fs.existsSync(path.join(DATA, 'licenses', 'Cython-LICENSE.txt')));
  });

  it('reads the tables as the compiler does', () => {
    const bc = directiveInfo('boundscheck');
    assert.ok(bc);
    assert.equal(bc.type, 'bool');
    assert.equal(pythonDefault(bc), 'True');
    assert.ok(allowedInScope(bc, 'with statement'));
    const ll = directiveInfo('language_level');
    assert.ok(ll && !allowedInScope(ll, 'function') && allowedInScope(ll, 'module'));
    // 'gil': ('with statement') is a string in Options.py; `scope in 'with statement'` holds for that scope only
    assert.deepEqual(directiveInfo('gil')?.scopes, ['with statement']);
    assert.deepEqual(directiveInfo('c_string_type')?.values, ['bytes', 'bytearray', 'str', 'unicode']);
    assert.equal(directiveInfo('cfunc')?.inDefaults, false);
    assert.equal(directiveInfo('no_such_directive'), undefined);
  });

  it('gives the cythonLens.directives setting one schema property per directive a header or -X can set (settings.json completion)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties['cythonLens.directives'].properties as Record<string, { enum?: unknown[]; type?: unknown; markdownDescription?: string }>;
    const settable = DIRECTIVE_TABLE.directives.filter(settableInHeader);
    assert.deepEqual(Object.keys(props).sort(), settable.map((d) => d.name).sort(),
      'package.json is out of date with data/directives: run .venv/bin/python scripts/build-directive-table.py');
    for (const d of settable) {
      const p = props[d.name]!;
      if (d.type === 'bool') assert.deepEqual(p.enum, ['True', 'False', true, false], d.name);
      else if (d.type === 'one_of') assert.deepEqual(p.enum, d.values, d.name);
      else assert.ok(p.type !== undefined && p.enum === undefined, d.name);
      assert.ok(p.markdownDescription?.startsWith(`\`${d.name}\``), d.name);
    }
    assert.match(props.boundscheck!.markdownDescription!, /default `True`\)\. If set to False, Cython is free to assume/);
  });
});
