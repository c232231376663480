// Exactness of incremental analysis on real code: the same keystrokes go to a live engine (its caches, patched
// declarations, per-definition results) and to a reference engine whose caches are dropped before each analysis
// (Engine.resetCaches: the same incremental trees, analysed from scratch); diagnostics and line scores must be equal.
// Keystrokes: body and header typing (bench/typing.ts) and random fragments typed and erased key by key (brackets,
// operators, keywords, includes: most leave the text broken). Not part of `npm run bench`; run as its entry:
//   FILES=12 EDITS=120 EVERY=3 BENCH_ENTRY=bench/live-vs-fresh.ts node scripts/bench.mjs
// FILES: the largest module of that many broad-corpus projects (+ scikit-learn's largest), MAX_LINES skips longer
// ones (default 4000), EDITS keystrokes per mode and file, EVERY: compare every Nth keystroke (the reference analyses
// from scratch, which is the slow part), ONLY: the files whose id contains this. A difference is printed and ends that
// file's run; the exit code is 1 if there was one.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Engine } from '../server/src/engine';
import { analyses } from '../server/src/checks';
import { defaultSettings } from '../server/src/settings/validate-settings';
import { type CorpusFile, loadBroadLargest, loadCorpus, venvPython } from './corpus';
import { type Keystroke, typingSession } from './typing';

const FRAGMENTS = ['(', ')', ' + ', ':', '[', 'cdef ', 'cdef int ', ' nogil', 'with nogil:', 'include "x.pxi"', 'from m cimport *',
  '"', '\n', '\n    ', ', ', 'x', 'lambda', ' if ', 'def ', 'class ', '*', '&', '<double>', '.', '#'];

/** Random fragments typed key by key at random offsets and erased again (the text is the same after each burst). */
function* fragments(text: string, count: number, seed: number): Generator<Keystroke> {
  let state = seed >>> 0;
  const rnd = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const lineStart: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStart.push(i + 1);
  const rows = lineStart.length;
  let produced = 0;
  while (produced < count) {
    const row = rnd(rows);
    const lineEnd = row + 1 < rows ? (lineStart[row + 1] as number) - 1 : text.length;
    const col = rnd(lineEnd - (lineStart[row] as number) + 1);
    const burst = FRAGMENTS[rnd(FRAGMENTS.length)] as string;
    const typed: { row: number; col: number; offset: number; ch: string }[] = [];
    let r = row;
    let c = col;
    let offset = (lineStart[row] as number) + col;
    for (const ch of burst) {
      if (produced++ >= count) return;
      yield { change: { range: { start: { line: r, character: c }, end: { line: r, character: c } }, text: ch }, offset, deleted: 0, inserted: ch };
      typed.push({ row: r, col: c, offset, ch });
      offset += ch.length;
      if (ch === '\n') {
        r++;
        c = 0;
      } else c += ch.length;
    }
    for (let i = typed.length - 1; i >= 0; i--) {
      if (produced++ >= count) return;
      const k = typed[i] as { row: number; col: number; offset: number; ch: string };
      const end = k.ch === '\n' ? { line: k.row + 1, character: 0 } : { line: k.row, character: k.col + 1 };
      yield { change: { range: { start: { line: k.row, character: k.col }, end }, text: '' }, offset: k.offset, deleted: 1, inserted: '' };
    }
  }
}

async function main(): Promise<void> {
  const repo = process.argv[process.argv.indexOf('--repo') + 1] as string;
  const files = Number(process.env.FILES ?? 12);
  const edits = Number(process.env.EDITS ?? 120);
  const every = Number(process.env.EVERY ?? 3);
  const maxLines = Number(process.env.MAX_LINES ?? 4000);
  const sklearn = loadCorpus(repo).files;
  const lines = (f: CorpusFile): number => fs.readFileSync(f.path, 'utf8').split('\n').length;
  const largestSklearn = sklearn.filter((f) => f.path.endsWith('.pyx') && lines(f) <= maxLines)
    .sort((a, b) => lines(b) - lines(a)).slice(0, 1);
  const chosen = [...largestSklearn, ...(loadBroadLargest(repo, files) ?? []).filter((f) => lines(f) <= maxLines)]
    .filter((f) => !process.env.ONLY || f.id.includes(process.env.ONLY));
  const python = venvPython(repo);
  const live = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 600_000 });
  const reference = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 600_000 });
  await live.session.discover(python);
  await reference.session.discover(python);
  let compared = 0;
  let broken = 0;
  let differences = 0;
  const t0 = Date.now();
  for (const file of chosen) {
    const settings = defaultSettings();
    settings.includeDirs = file.includeDirs;
    const text = fs.readFileSync(file.path, 'utf8');
    const uri = pathToFileURL(file.path).href;
    live.open(uri, text, 1);
    reference.open(uri, text, 1);
    live.analyze(uri, settings);
    let version = 2;
    let step = 0;
    let fileCompared = 0;
    modes: for (const mode of ['body', 'header', 'fragments'] as const) {
      const current = live.document(uri)!.text;
      let keys: Generator<Keystroke>;
      try {
        keys = mode === 'fragments' ? fragments(current, edits, 7 + version) : typingSession(current, edits, 11 + version, mode);
        for (const k of keys) {
          live.change(uri, version, [k.change]);
          reference.change(uri, version, [k.change]);
          version++;
          const a = live.analyze(uri, settings);
          if (++step % every !== 0) continue;
          if (live.document(uri)!.tree!.rootNode.hasError) broken++;
          reference.resetCaches(uri);
          const b = reference.analyze(uri, settings);
          const x = JSON.stringify({ d: a?.diagnostics, s: a?.annotations });
          const y = JSON.stringify({ d: b?.diagnostics, s: b?.annotations });
          compared++;
          fileCompared++;
          if (x !== y) {
            let i = 0;
            while (i < x.length && x[i] === y[i]) i++;
            console.log(`DIFFERENCE ${file.id} (${mode}, keystroke ${step}: ${JSON.stringify(k.change)})\nlive:  ${x.slice(Math.max(0, i - 300), i + 300)}\nfresh: ${y.slice(Math.max(0, i - 300), i + 300)}`);
            differences++;
            break modes;
          }
        }
      } catch (err) {
        if (/no (headers|code lines)/.test(String(err))) continue;
        throw err;
      }
    }
    console.log(`${file.id}: ${text.split('\n').length} lines, ${step} keystrokes, ${fileCompared} compared`);
    live.close(uri);
    reference.close(uri);
  }
  console.log(`live vs fresh: ${compared} keystrokes compared (${broken} with a broken text) over ${chosen.length} files, `
    + `${differences ? `${differences} file(s) with a difference` : 'all equal'} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  live.dispose();
  reference.dispose();
  if (differences) process.exitCode = 1;
}
void main();
