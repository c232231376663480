// The floor of a keystroke: what every keystroke pays wherever it is (the whole-document passes: units, their texts
// in the caches, the module interface, the directive check, the annotator's assembly), measured by typing in a comment
// at the end of the bench's concatenated text (no definition is re-walked). CPU per keystroke (change + analyze) next
// to the document store's own re-parse of the same edit. Not part of `npm run bench`; run as its entry:
//   LINES=20000 EDITS=200 BENCH_ENTRY=bench/keystroke-floor.ts node scripts/bench.mjs
// (40 warm-up keystrokes first; PROF=file.cpuprofile writes a CPU profile of the measured ones).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session } from 'node:inspector';
import { pathToFileURL } from 'node:url';
import { Engine } from '../server/src/engine';
import { analyses } from '../server/src/checks';
import { defaultSettings } from '../server/src/settings/validate-settings';
import { loadCorpus, venvPython } from './corpus';
import { concatenatedCode } from './real-code';
import { percentile } from './stats';
async function main(): Promise<void> {
  const repo = process.argv[process.argv.indexOf('--repo') + 1] as string;
  const corpus = loadCorpus(repo);
  const settings = defaultSettings();
  settings.includeDirs = corpus.files[0]?.includeDirs ?? [];
  const base = concatenatedCode(corpus.files.map((f) => f.path), Number(process.env.LINES ?? 5000));
  const text = base + '\n# x\n';
  const row = text.split('\n').length - 2;
  const uri = pathToFileURL(path.join(corpus.root, 'sklearn', 'bench_fixed.pyx')).href;
  const full = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
  await full.session.discover(venvPython(repo));
  const bare = await Engine.create({ log: () => undefined, checks: [], annotators: [] });
  full.open(uri, text, 1);
  full.analyze(uri, settings);
  bare.open(uri, text, 1);
  void bare.document(uri)?.tree;
  const cpu: number[] = [];
  const parse: number[] = [];
  const n = Number(process.env.EDITS ?? 200);
  let session: Session | undefined;
  for (let i = 0; i < n + 40; i++) {
    if (i === 40 && process.env.PROF) {
      session = new Session();
      session.connect();
      await new Promise<void>((r) => session!.post('Profiler.enable', () => session!.post('Profiler.start', () => r())));
    }
    const add = i % 2 === 0;
    const change = { range: { start: { line: row, character: 3 }, end: { line: row, character: add ? 3 : 4 } }, text: add ? 'y' : '' };
    const c0 = process.cpuUsage();
    full.change(uri, i + 2, [change]);
    full.analyze(uri, settings);
    const c1 = process.cpuUsage(c0);
    const p0 = process.cpuUsage();
    bare.change(uri, i + 2, [change]);
    void bare.document(uri)?.tree;
    const p1 = process.cpuUsage(p0);
    if (i >= 40) {
      cpu.push((c1.user + c1.system) / 1000);
      parse.push((p1.user + p1.system) / 1000);
    }
  }
  if (session) {
    const prof = await new Promise<unknown>((r) => session!.post('Profiler.stop', (_e, p) => r(p.profile)));
    fs.writeFileSync(process.env.PROF as string, JSON.stringify(prof));
  }
  console.log(`${text.split('\n').length} lines, comment typing: CPU p50 ${percentile(cpu, 50).toFixed(2)} p95 ${percentile(cpu, 95).toFixed(2)} | store re-parse p50 ${percentile(parse, 50).toFixed(2)} p95 ${percentile(parse, 95).toFixed(2)}`);
}
void main();
