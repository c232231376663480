/**
 * Per-line analysis CPU, warm: the largest module of several projects of the broad corpus (bench/corpus.ts
 * `loadBroadLargest`) analysed in one engine (diagnostics + line scores), after a first pass that parses their .pxd
 * files and warms the JIT. Each measured pass opens every file under a new URI (no per-definition cache reused) and
 * reports the CPU time (user + system of the process) per line. Not part of `npm run bench`; run it with
 *
 *   BENCH_ENTRY=bench/line-cost.ts node scripts/bench.mjs [--projects 8] [--passes 3] [--prof out.cpuprofile]
 *
 * `--prof` writes a CPU profile (node:inspector) of the measured passes only; `--digest` prints a hash of every
 * pass's diagnostics and scores (equal in two trees: the same reports); `--per-file` the median CPU of each file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import { pathToFileURL } from 'node:url';
import { Engine } from '../server/src/engine';
import { analyses } from '../server/src/checks';
import { defaultSettings } from '../server/src/settings/validate-settings';
import { type CorpusFile, loadBroadLargest, venvPython } from './corpus';
import { directivesOf } from './whole-process';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? (process.argv[at + 1] as string) : fallback;
}

function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
}

async function main(): Promise<void> {
  const repo = option('repo', process.cwd());
  const projects = Number(option('projects', '8'));
  const passes = Number(option('passes', '3'));
  const prof = option('prof', '');
  const digest = process.argv.includes('--digest');
  const files = loadBroadLargest(repo, projects);
  if (!files) throw new Error('line-cost: the broad corpus is not prepared');
  const texts = files.map((f) => fs.readFileSync(f.path, 'utf8'));
  const lines = texts.reduce((n, t) => n + t.split('\n').length, 0);
  const engine = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 600_000 });
  await engine.session.discover(venvPython(repo));
  const perFile = new Map<string, number[]>();
  const pass = (suffix: string): string => {
    const hash = createHash('sha256');
    files.forEach((file: CorpusFile, i) => {
      const c0 = process.cpuUsage();
      const settings = defaultSettings();
      settings.includeDirs = file.includeDirs;
      for (const d of directivesOf(file)) settings.directives[d.slice(0, d.indexOf('='))] = d.slice(d.indexOf('=') + 1);
      const uri = pathToFileURL(file.path).href + suffix;
      engine.open(uri, texts[i] as string, 1);
      const report = engine.analyze(uri, settings);
      engine.close(uri);
      const c = process.cpuUsage(c0);
      if (!perFile.has(file.id)) perFile.set(file.id, []);
      perFile.get(file.id)?.push((c.user + c.system) / 1000);
      if (!report || report.status.state === 'error') throw new Error(`line-cost: analysis failed on ${file.id}`);
      // the snapshot's folder differs per run
      if (digest) hash.update(JSON.stringify([file.id, report.diagnostics, report.annotations]).replace(/cython-lens-bench-broad-[^/]+/g, ''));
    });
    return hash.digest('hex').slice(0, 16);
  };
  pass('#warmup');
  perFile.clear();
  const inspector = prof ? new Session() : undefined;
  if (inspector) {
    inspector.connect();
    await post(inspector, 'Profiler.enable');
    await post(inspector, 'Profiler.start');
  }
  const cpus: number[] = [];
  const digests: string[] = [];
  for (let i = 0; i < passes; i++) {
    const c0 = process.cpuUsage();
    digests.push(pass(`#pass${i}`));
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  if (inspector) {
    const { profile } = await post(inspector, 'Profiler.stop') as { profile: unknown };
    fs.writeFileSync(prof, JSON.stringify(profile));
    inspector.disconnect();
  }
  engine.dispose();
  const sorted = [...cpus].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] as number;
  console.log(JSON.stringify({
    files: files.map((f) => f.id), lines, passesCpuMs: cpus.map(Math.round), medianCpuMs: Math.round(median),
    msPerLine: Number((median / lines).toFixed(4)), ...(digest ? { digests } : {}),
  }));
  if (process.argv.includes('--per-file')) {
    files.forEach((f, i) => {
      const ms = [...(perFile.get(f.id) ?? [])].sort((a, b) => a - b);
      const mid = ms[ms.length >> 1] ?? 0;
      const n = (texts[i] as string).split('\n').length;
      console.log(`${f.id}\t${n} lines\t${Math.round(mid)} ms\t${(mid / n).toFixed(3)} ms/line`);
    });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
