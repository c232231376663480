/**
 * The GIL diagnostics agree with the real compiler on Cython's own GIL error tests (from the pinned sdist, fetched
 * by scripts/fetch-sdists.sh). Our own fixtures, one per rule, are compared with the compiler by
 * test/checks/rule-fixtures.test.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { REPO_ROOT } from '../support/paths';
import { VENV_PYTHON, expectedErrors } from '../support/compiler';
import { analyses } from '../../server/src/checks';

const CACHE = process.env['CYTHON_LENS_CACHE'] ?? path.join(os.homedir(), '.cache', 'cython-lens');
const CYTHON_TESTS = path.join(CACHE, 'corpus', 'cython-3.3.1', 'tests', 'errors');

/** The compiler messages our GIL engine models (anything else, e.g. "Unreachable code", is out of scope). */
const GIL_MESSAGE = /not allowed without (gil|the GIL)|nogil|GIL|Exception check|Non-constant condition|may not be a Python object as we don't have the GIL|Buffer may not be acquired|noexcept clause is ignored|C property setter (needs 'noexcept'|with 'int' return)|Implicit noexcept declaration|prange\(\) can only be used/;

const key = (line: number, message: string): string => `${line}|${message.split('\n')[0]}`;

describe('GIL diagnostics agree with the real compiler', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
    await engine.session.discover(VENV_PYTHON);
  });
  after(() => engine.dispose());

  const ours = (file: string): Set<string> => {
    const uri = pathToFileURL(file).toString();
    engine.open(uri, fs.readFileSync(file, 'utf8'), 1);
    const report = engine.analyze(uri, defaultSettings());
    engine.close(uri);
    assert.ok(report);
    return new Set(report.diagnostics
      .filter((d) => GIL_MESSAGE.test(d.message) && d.code !== 'gil-transition-in-loop')
      .map((d) => key(d.range.start.line + 1, d.message)));
  };

  it("reaches recall >= 0.95 and precision >= 0.98 on Cython's GIL error tests", () => {
    const names = ['nogil.pyx', 'nogil_conditional.pyx', 'incorrectly_nested_gil_blocks.pyx', 'e_assert.pyx',
      'nogil_buffer_acquisition.pyx', 'e_nogilcmeth.pyx'];
    let tp = 0;
    let fn = 0;
    let fp = 0;
    for (const name of names) {
      const file = path.join(CYTHON_TESTS, name);
      assert.ok(fs.existsSync(file), `${file} missing: run scripts/fetch-sdists.sh`);
      const expected = new Set(expectedErrors(fs.readFileSync(file, 'utf8'))
        .filter((e) => GIL_MESSAGE.test(e.message)).map((e) => key(e.line, e.message)));
      const got = new Set([...ours(file)].filter((k) => !k.includes('Exception check')));
      for (const k of expected) (got.has(k) ? tp++ : fn++);
      for (const k of got) if (!expected.has(k)) fp++;
    }
    const recall = tp / (tp + fn);
    const precision = tp / (tp + fp);
    console.log(`Cython GIL error tests: ${tp} matched, ${fn} missed, ${fp} extra; recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}`);
    assert.ok(recall >= 0.95, `recall ${recall}`);
    assert.ok(precision >= 0.98, `precision ${precision}`);
  });
});
