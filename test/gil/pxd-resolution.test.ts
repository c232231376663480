/** cimports resolve relative to each importing file: the same module name in two folders is two different .pxd. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';

describe('.pxd resolution', () => {
  let engine: Engine;
  let dir: string;
  before(async () => {
    engine = await Engine.create({ log: () => undefined, timeBudgetMs: 60_000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-pxd-'));
    for (const [sub, spec] of [['a', 'noexcept nogil'], ['b', '']] as const) {
      fs.mkdirSync(path.join(dir, sub));
      fs.writeFileSync(path.join(dir, sub, 'helpers.pxd'), `cdef double twice(double x) ${spec}\n`);
      fs.writeFileSync(path.join(dir, sub, 'user.pyx'), [
        'from helpers cimport twice', '', 'def run(double v):', '    cdef double r', '    with nogil:',
        '        r = twice(v)', '    return r', ''].join('\n'));
    }
  });
  after(() => {
    engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const gilErrors = (sub: string): string[] => {
    const file = path.join(dir, sub, 'user.pyx');
    const uri = pathToFileURL(file).toString();
    engine.open(uri, fs.readFileSync(file, 'utf8'), 1);
    const report = engine.analyze(uri, defaultSettings());
    engine.close(uri);
    return (report?.diagnostics ?? []).filter((d) => d.severity === 1).map((d) => `${d.range.start.line + 1}: ${d.message}`);
  };

  it('uses the sibling .pxd of each importing file', () => {
    assert.deepEqual(gilErrors('a'), []); // a/helpers.pxd: twice is nogil
    assert.deepEqual(gilErrors('b'), ['6: Calling gil-requiring function not allowed without gil']); // b/helpers.pxd: not
  });
});
