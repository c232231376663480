#!/usr/bin/env node
// Cost of the static annotation estimate on a generated 2,000-line Cython file: the first analysis, then
// re-scoring after a one-character edit inside one function (incremental parse + model + annotator with its
// per-definition cache), compared with the same edit scored without the cache.
//
//   node scripts/bench-annotations.mjs [--lines 2000] [--rounds 20]
import { bundleAndLoad } from './lib/node-bundle.mjs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf(n); return i >= 0 ? Number(args[i + 1]) : d; };
const targetLines = opt('--lines', 2000);
const rounds = opt('--rounds', 20);

const out = join(tmpdir(), 'cython-lens-bench-annotations');
mkdirSync(out, { recursive: true });
const lib = await bundleAndLoad(`export { Engine } from './server/src/engine/engine';
      export { createStaticAnnotator } from './server/src/annotations/static-annotator';
      export { AnnotatorCache } from './server/src/annotations/annotator-cache';
      export { defaultSettings } from './server/src/settings/validate-settings';
      export { documentModel } from './server/src/model/document-model';`, out);

// ---- a realistic module: numpy at module level, def wrappers, nogil kernels, a cdef class
const head = ['import numpy as np', 'cimport cython', 'from libc.math cimport sqrt, exp', ''];
const unit = (k) => [
  `cdef double kernel_${k}(const double[:] x, double a) noexcept nogil:`,
  '    cdef Py_ssize_t i',
  '    cdef double s = 0',
  '    for i in range(x.shape[0]):',
  '        s += exp(-a * x[i]) * sqrt(x[i] * x[i] + 1.0)',
  '    return s',
  '',
  `def api_${k}(object data, double a=1.0, int repeat=3):`,
  '    cdef double[::1] x = np.ascontiguousarray(data, dtype=np.float64)',
  '    cdef double total = 0',
  '    cdef int r',
  '    with nogil:',
  '        for r in range(repeat):',
  `            total += kernel_${k}(x, a)`,
  '    result = {"total": total, "n": x.shape[0]}',
  '    if total > 10:',
  '        result["big"] = True',
  '    return result',
  '',
  `cdef class Acc_${k}:`,
  '    cdef public double value',
  '    cdef int count',
  '    def add(self, double v):',
  '        self.value += v',
  '        self.count += 1',
  '        return self.value / self.count',
  '',
];
const lines = [...head];
let k = 0;
while (lines.length < targetLines) lines.push(...unit(k++));
const text = lines.join('\n');
const middle = Math.floor(k / 2);
const editLine = lines.indexOf(`def api_${middle}(object data, double a=1.0, int repeat=3):`) + 9; // `cdef double total = 0`

const settings = lib.defaultSettings();
const uri = pathToFileURL(join(out, 'bench.pyx')).href;

async function session(useCache) {
  const cache = new lib.AnnotatorCache();
  const annotator = lib.createStaticAnnotator({ cache });
  const engine = await lib.Engine.create({ checks: [], annotators: [annotator], log: () => {}, timeBudgetMs: 60_000 });
  engine.open(uri, text, 1);
  let t = performance.now();
  const first = engine.analyze(uri, settings);
  const firstMs = performance.now() - t;
  const times = [];
  const modelTimes = [];
  let version = 1;
  for (let r = 0; r < rounds; r++) {
    // type one character into `total = 0` -> `total = 01`... and back, alternating (both valid Python)
    const col = lines[editLine].length;
    const change = r % 2 === 0
      ? { range: { start: { line: editLine, character: col }, end: { line: editLine, character: col } }, text: '1' }
      : { range: { start: { line: editLine, character: col }, end: { line: editLine, character: col + 1 } }, text: '' };
    engine.change(uri, ++version, [change]);
    if (!useCache) cache.forget(uri); // no cache: every run starts cold
    cache.hits = 0; cache.misses = 0;
    t = performance.now();
    lib.documentModel(engine.session, engine.document(uri), settings.includeDirs); // the shared model (GIL checks build it too)
    const m = performance.now();
    engine.analyze(uri, settings);
    modelTimes.push(m - t);
    times.push(performance.now() - m);
  }
  modelTimes.sort((a, b) => a - b);
  engine.dispose();
  times.sort((a, b) => a - b);
  return { firstMs, median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)],
    model: modelTimes[Math.floor(modelTimes.length / 2)],
    annotated: first.annotations.length, hits: cache.hits, misses: cache.misses };
}

const cached = await session(true);
const uncached = await session(false);
console.log(`file: ${lines.length} lines, ${k} x (nogil kernel + def wrapper + cdef class); edit inside api_${middle}`);
console.log(`first analysis (parse done, model + estimate): ${cached.firstMs.toFixed(1)} ms, ${cached.annotated} scored lines`);
console.log(`after a keystroke: rebuilding the shared semantic model: median ${cached.model.toFixed(1)} ms`);
console.log(`after a keystroke, estimate with the per-definition cache: median ${cached.median.toFixed(1)} ms, p90 ${cached.p90.toFixed(1)} ms `
  + `(last edit: ${cached.misses} statement(s) re-walked, ${cached.hits} reused)`);
console.log(`after a keystroke, estimate with the cache dropped each time: median ${uncached.median.toFixed(1)} ms, p90 ${uncached.p90.toFixed(1)} ms`);

