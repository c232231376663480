#!/usr/bin/env node
// Cython+ conformance: our engine (dist/cli.js check) on the 38 cypclass tests of cython-plus 0.3.0
// ($CYTHON_LENS_CACHE/corpus/cython-plus-0.3.0/tests/{compile,errors,run}/cypclass_*.pyx, from scripts/fetch-sdists.sh).
// Prints, for the run/compile files, the lines where we report an error (false error lines: the compiler accepts
// them); for the error files, the expected errors of their _ERRORS blocks (what cython-plus reports) matched with ours
// on line and message (first line): recall = matched / expected, precision = matched / our error lines' errors.
//   node scripts/cypclass-conformance.mjs [--verbose]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.CYTHON_LENS_CACHE || path.join(os.homedir(), '.cache', 'cython-lens');
const tests = path.join(cache, 'corpus', 'cython-plus-0.3.0', 'tests');
if (!fs.existsSync(tests)) {
  console.error(`cypclass-conformance: ${tests} is missing: run scripts/fetch-sdists.sh cython-plus-0.3.0.tar.gz`);
  process.exit(2);
}
const verbose = process.argv.includes('--verbose');
const files = ['compile', 'errors', 'run'].flatMap((d) => fs.readdirSync(path.join(tests, d))
  .filter((f) => /^cypclass_.*\.pyx$/.test(f)).sort().map((f) => path.join(tests, d, f)));
let out;
try {
  out = execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'check', '--format', 'json', ...files],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
} catch (e) {
  out = e.stdout; // exit status 1: errors found
}
const report = new Map(JSON.parse(out).map((f) => [path.resolve(f.file), f.diagnostics]));
const expectedOf = (text) => {
  const m = /_ERRORS\s*=\s*u?("""|''')([\s\S]*?)\1/.exec(text);
  if (!m) return [];
  return m[2].split('\n').map((l) => /^\s*(\d+):(\d+):\s*(.*)$/.exec(l)).filter(Boolean)
    .map((x) => ({ line: Number(x[1]), message: x[3].trim() }));
};
let falseLines = 0;
let expected = 0;
let matched = 0;
let ours = 0;
for (const file of files) {
  const diags = (report.get(path.resolve(file)) ?? []).filter((d) => d.severity === 'error');
  const rel = path.relative(tests, file);
  if (!rel.startsWith('errors')) {
    const lines = new Set(diags.map((d) => d.line));
    falseLines += lines.size;
    if (verbose) for (const d of diags) console.log(`false: ${rel}:${d.line}: ${d.message.split('\n')[0]}`);
    continue;
  }
  const exp = expectedOf(fs.readFileSync(file, 'utf8'));
  expected += exp.length;
  const got = diags.map((d) => ({ line: d.line, message: d.message.split('\n')[0] }));
  ours += got.length;
  const key = (e) => `${e.line}: ${e.message}`;
  const gotKeys = new Set(got.map(key));
  const expKeys = new Set(exp.map(key));
  for (const e of exp) {
    if (gotKeys.has(key(e))) matched++;
    else if (verbose) console.log(`missed: ${rel}:${key(e)}`);
  }
  if (verbose) for (const g of got) if (!expKeys.has(key(g))) console.log(`extra: ${rel}:${key(g)}`);
}
const oursMatched = matched;
console.log(`cython-plus cypclass tests: ${files.length} files; run/compile: ${falseLines} false error lines; ` +
  `errors: ${expected} expected, ${ours} reported, ${matched} matched, recall ${(matched / expected).toFixed(3)}, ` +
  `precision ${ours ? (oursMatched / ours).toFixed(3) : '1.000'}`);
