#!/usr/bin/env node
// Compares the static `cython -a` estimate (server/src/annotations) with the compiler's per-line scores that the
// conformance suite stored for scikit-learn ($CYTHON_LENS_CACHE/conformance/labels, made by conformance/label.py),
// with the directives each label was made with (its `-X name=value` arguments). Prints the same figures as
// conformance/run.py (F1 of "score > 0", Spearman over lines where either score is > 0) and the disagreements.
//
//   node scripts/annotations-compare.mjs [--corpus sklearn] [--file SUBSTRING] [--show N] [--no-directives]
//
// Development tool: bundles the engine with esbuild into a temporary folder, runs in-process, writes nothing else.
import { bundleAndLoad } from './lib/node-bundle.mjs';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const corpus = opt('--corpus', 'sklearn');
const fileFilter = opt('--file', '');
const show = Number(opt('--show', '0'));
const reasonStats = args.includes('--reasons');
const grepReason = opt('--grep', '');
const useDirectives = !args.includes('--no-directives');
const cacheDir = process.env.CYTHON_LENS_CACHE || join(homedir(), '.cache', 'cython-lens');
const confDir = join(cacheDir, 'conformance');

// ---- bundle the engine + annotator
const out = join(tmpdir(), 'cython-lens-annotations-compare');
mkdirSync(out, { recursive: true });
const lib = await bundleAndLoad(`export { Engine } from './server/src/engine/engine';
      export { createStaticAnnotator } from './server/src/annotations/static-annotator';
      export { directivesFromEntries } from './server/src/annotations/directives';
      export { defaultSettings } from './server/src/settings/validate-settings';`, out);

// ---- labels: the newest label per file whose sha256 matches the file on disk
const manifest = JSON.parse(readFileSync(join(confDir, corpus, 'manifest.json'), 'utf8'));
const labels = new Map();
for (const f of readdirSync(join(confDir, 'labels'))) {
  const p = join(confDir, 'labels', f);
  const lab = JSON.parse(readFileSync(p, 'utf8'));
  if (!lab.annotations) continue;
  const mtime = statSync(p).mtimeMs;
  const prev = labels.get(lab.path);
  if (!prev || prev.mtime < mtime) labels.set(lab.path, { lab, mtime });
}
const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function directivesOf(argv) {
  const d = {};
  for (let i = 0; i < argv.length - 1; i++) if (argv[i] === '-X') {
    const [k, v] = argv[i + 1].split('=');
    d[k] = v;
  }
  return d;
}

function rank(xs) {
  const order = xs.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}
function spearman(a, b) {
  const ra = rank(a), rb = rank(b);
  const ma = ra.reduce((s, x) => s + x, 0) / ra.length, mb = rb.reduce((s, x) => s + x, 0) / rb.length;
  let cov = 0, va = 0, vb = 0;
  for (let i = 0; i < ra.length; i++) { cov += (ra[i] - ma) * (rb[i] - mb); va += (ra[i] - ma) ** 2; vb += (rb[i] - mb) ** 2; }
  return va && vb ? cov / Math.sqrt(va * vb) : 0;
}

const started = Date.now();
let tp = 0, fp = 0, fn = 0, files = 0, skipped = 0;
const xs = [], ys = [], rows = [];
for (const entry of manifest) {
  if (fileFilter && !entry.id.includes(fileFilter)) continue;
  const hit = labels.get(entry.path);
  if (!hit || !existsSync(entry.path) || hit.lab.sha256 !== sha(entry.path)) { skipped++; continue; }
  const directives = useDirectives ? directivesOf(hit.lab.argv) : {};
  const annotator = lib.createStaticAnnotator({ directives: lib.directivesFromEntries(directives) });
  const engine = await lib.Engine.create({ checks: [], annotators: [annotator], log: () => {}, timeBudgetMs: 60000 });
  const text = readFileSync(entry.path, 'utf8');
  const uri = pathToFileURL(entry.path).href;
  engine.open(uri, text);
  const settings = lib.defaultSettings();
  settings.includeDirs = entry.include_dirs;
  const report = engine.analyze(uri, settings);
  engine.dispose();
  files++;
  const L = new Map(hit.lab.annotations.map((a) => [a.line, a.score]));
  const P = new Map(report.annotations.filter((a) => a.score > 0).map((a) => [a.line + 1, a]));
  const srcLines = text.split('\n');
  for (const line of new Set([...L.keys(), ...P.keys()])) {
    const lv = L.get(line) ?? 0, pa = P.get(line), pv = pa?.score ?? 0;
    if (lv > 0 && pv > 0) tp++; else if (pv > 0) fp++; else if (lv > 0) fn++;
    if (lv > 0 || pv > 0) {
      xs.push(lv); ys.push(pv);
      rows.push({ id: entry.id, line, lv, pv, src: (srcLines[line - 1] ?? '').trim().slice(0, 90), reasons: pa?.reasons ?? [] });
    }
  }
}
const p = tp / (tp + fp || 1), r = tp / (tp + fn || 1), f1 = 2 * p * r / (p + r || 1);
console.log(`files ${files} (skipped ${skipped} without a current label), ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`score>0: precision ${p.toFixed(4)} recall ${r.toFixed(4)} F1 ${f1.toFixed(4)} (tp ${tp} fp ${fp} fn ${fn})`);
console.log(`Spearman over ${xs.length} lines: ${spearman(xs, ys).toFixed(4)}`);
if (grepReason) {
  const re = new RegExp(grepReason);
  for (const x of rows.filter((x) => x.reasons.some((r) => re.test(r))).slice(0, 60)) {
    console.log(`${x.id}:${x.line} real ${x.lv} est ${x.pv} | ${x.src}`);
  }
}
if (reasonStats) {
  // per kind of reason (names in backquotes elided): on how many lines the compiler agrees there is a cost
  const stats = new Map();
  for (const x of rows) {
    for (const r of new Set(x.reasons.map((r) => r.replace(/`[^`]*`/g, 'X').replace(/\d+/g, 'N')))) {
      const s = stats.get(r) ?? { agree: 0, zero: 0 };
      if (x.lv > 0) s.agree++; else s.zero++;
      stats.set(r, s);
    }
  }
  console.log('\nreason kind: lines where the compiler also scores > 0 / scores 0');
  for (const [r, s] of [...stats].sort((a, b) => b[1].zero - a[1].zero).slice(0, 40)) console.log(`${String(s.agree).padStart(6)} ${String(s.zero).padStart(6)}  ${r}`);
}
if (show > 0) {
  const fps = rows.filter((x) => x.lv === 0), fns = rows.filter((x) => x.pv === 0);
  console.log(`\n--- false positives (estimate > 0, compiler 0): ${fps.length}`);
  for (const x of fps.slice(0, show)) console.log(`${x.id}:${x.line} est ${x.pv} | ${x.src}\n      ${x.reasons.join(' / ')}`);
  console.log(`\n--- false negatives (compiler > 0, estimate 0): ${fns.length}`);
  for (const x of fns.slice(0, show)) console.log(`${x.id}:${x.line} real ${x.lv} | ${x.src}`);
}
