// CPU time per keystroke (process.cpuUsage around change + analyze: robust on a shared machine, unlike wall time),
// with the module models built / reused / patched and the units re-walked; the bench's typing (bench/typing.ts) on
// the bench's concatenated scikit-learn text. Not part of `npm run bench`; run as its entry:
//   LINES=5000 EDITS=200 MODE=header|body BENCH_ENTRY=bench/keystroke-cpu.ts node scripts/bench.mjs
// (60 warm-up keystrokes first). Options: PROF=file.cpuprofile (a CPU profile of the measured keystrokes),
// MISSES=1|2 (why per-definition cache lookups missed), TAIL=N (the N slowest keystrokes: where, what, broken or not,
// units re-walked, declarations built/patched), DUMP=file (write the text and stop).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session } from 'node:inspector';
import { pathToFileURL } from 'node:url';
import { Engine } from '../server/src/engine';
import { analyses } from '../server/src/checks';
import { gilCacheStats } from '../server/src/checks/gil-check';
import { documentModelStats } from '../server/src/model/document-model';
import { defaultSettings } from '../server/src/settings/validate-settings';
import { loadCorpus, venvPython } from './corpus';
import { concatenatedCode } from './real-code';
import { percentile } from './stats';
import { typingSession, type TypingMode } from './typing';
import { DefinitionCache, symbolDescriptor } from '../server/src/engine/definition-cache';

const reasons = new Map<string, number>();
let current = 0;
let keyRow = -1;
if (process.env.MISSES) {
  const orig = DefinitionCache.prototype.get;
  DefinitionCache.prototype.get = function (this: any, unit: any, scope: any) {
    const r = orig.call(this, unit, scope);
    if (r === undefined && current >= 60 && this.context?.length >= 0) {
      let why: string;
      const inUnit = unit.node.startPosition.row <= keyRow && keyRow <= unit.node.endPosition.row;
      if (unit.node.hasError || unit.statement.startPosition.column !== 0) why = inUnit ? 'uncacheable-edited' : (unit.node.hasError ? 'uncacheable-error' : 'uncacheable-col');
      else {
        const hit = this.entries.get(unit.context)?.get(unit.node.text);
        if (!hit) { why = inUnit ? 'new-text-edited' : 'new-text-other'; if (!inUnit && process.env.MISSES === '2' && Math.random() < 0.05) console.log('NEWTEXT key', keyRow, 'unit', unit.node.startPosition.row, unit.node.endPosition.row, unit.node.type, JSON.stringify(unit.node.text.slice(0, 80))); }
        else {
          const bad = [...hit.deps].filter(([n, d]: [string, string]) => symbolDescriptor(scope, n) !== d).map(([n]: [string, string]) => n);
          why = bad.length ? `deps(${bad.length > 3 ? 'many' : 'some'})` + (inUnit ? '-edited' : '') : 'complete/type';
          if (process.env.MISSES === '2' && bad.length) why += ':' + bad.slice(0, 3).join(',');
        }
      }
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
    }
    return r;
  };
}

async function main(): Promise<void> {
  const repo = process.argv[process.argv.indexOf('--repo') + 1] as string;
  const lines = Number(process.env.LINES ?? 5000);
  const edits = Number(process.env.EDITS ?? 200);
  const mode = (process.env.MODE ?? 'header') as TypingMode;
  const corpus = loadCorpus(repo);
  const settings = defaultSettings();
  settings.includeDirs = corpus.files[0]?.includeDirs ?? [];
  const text = concatenatedCode(corpus.files.map((f) => f.path), lines);
  if (process.env.DUMP) { fs.writeFileSync(process.env.DUMP, text); return; }
  const uri = pathToFileURL(path.join(corpus.root, 'sklearn', `bench_${lines}.pyx`)).href;
  const full = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 60_000 });
  await full.session.discover(venvPython(repo));
  full.open(uri, text, 1);
  full.analyze(uri, settings);
  let version = 2;
  const cpu: number[] = [];
  const wall: number[] = [];
  let session: Session | undefined;
  let i = 0;
  let misses = 0;
  let rewalked = 0;
  let stats0 = documentModelStats(full.session);
  const tail: { cpu: number; row: number; what: string; broken: boolean; units: number; model: string }[] = [];
  for (const k of typingSession(text, edits + 60, 1, mode)) {
    if (i === 60) {
      stats0 = documentModelStats(full.session);
      misses = gilCacheStats(full.session, uri)?.misses ?? 0;
      if (process.env.PROF) {
        session = new Session();
        session.connect();
        await new Promise<void>((r) => session!.post('Profiler.enable', () => session!.post('Profiler.start', () => r())));
      }
    }
    current = i;
    keyRow = k.change.range.start.line;
    const m0 = documentModelStats(full.session);
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    full.change(uri, version++, [k.change]);
    full.analyze(uri, settings);
    const w1 = performance.now();
    const c1 = process.cpuUsage(c0);
    if (i >= 60) {
      cpu.push((c1.user + c1.system) / 1000);
      wall.push(w1 - w0);
      const m = gilCacheStats(full.session, uri)?.misses ?? 0;
      rewalked += m - misses;
      if (process.env.TAIL) {
        const m1 = documentModelStats(full.session);
        const model = m1.built > m0.built ? 'built' : m1.patched > m0.patched ? 'patched' : m1.moved > m0.moved ? 'moved' : 'reused';
        tail.push({ cpu: cpu[cpu.length - 1] as number, row: keyRow, what: JSON.stringify(k.change.text || `-${k.deleted}`),
          broken: full.document(uri)?.tree?.rootNode.hasError ?? false, units: m - misses, model });
      }
      misses = m;
    }
    i++;
  }
  if (session) {
    const prof = await new Promise<unknown>((r) => session!.post('Profiler.stop', (_e, p) => r(p.profile)));
    fs.writeFileSync(process.env.PROF as string, JSON.stringify(prof));
  }
  const s = documentModelStats(full.session);
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  console.log(`${text.split('\n').length} lines ${mode}: CPU p50 ${percentile(cpu, 50).toFixed(1)} p95 ${percentile(cpu, 95).toFixed(1)} mean ${mean(cpu).toFixed(1)}`
    + ` | wall p50 ${percentile(wall, 50).toFixed(1)} p95 ${percentile(wall, 95).toFixed(1)} | built ${s.built - stats0.built} reused ${s.reused - stats0.reused} moved ${s.moved - stats0.moved}`
    + ` patched ${((s as Record<string, number>).patched ?? 0) - ((stats0 as Record<string, number>).patched ?? 0)} of ${cpu.length} | units re-walked ${(rewalked / cpu.length).toFixed(2)}`);
  if (process.env.TAIL) {
    const lines = text.split('\n');
    for (const t of tail.sort((a, b) => b.cpu - a.cpu).slice(0, Number(process.env.TAIL))) {
      console.log(`${t.cpu.toFixed(1).padStart(7)} ms row ${t.row} ${t.what} ${t.broken ? 'broken' : 'ok'} units ${t.units} ${t.model} | ${(lines[t.row] ?? '').trim().slice(0, 70)}`);
    }
    const broken = tail.filter((t) => t.broken).map((t) => t.cpu);
    const ok = tail.filter((t) => !t.broken).map((t) => t.cpu);
    if (broken.length) console.log(`broken ${broken.length}: p50 ${percentile(broken, 50).toFixed(1)} p95 ${percentile(broken, 95).toFixed(1)}`);
    if (ok.length) console.log(`well-formed ${ok.length}: p50 ${percentile(ok, 50).toFixed(1)} p95 ${percentile(ok, 95).toFixed(1)}`);
  }
  console.log([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${k}: ${v}`).join('\n'));
  full.dispose();
}
void main();
