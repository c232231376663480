// A large broad-corpus file's first screen (rows 0-99) reopened N times in one engine (.pxd warm, the model built
// again each time): CPU ms of the analyze call, min/median. BENCH_ENTRY=bench/first-screen-cpu.ts node scripts/bench.mjs
// (FILES=libcbcf,defs,_tools N=10).
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { analyses } from '../server/src/checks';
import { Engine } from '../server/src/engine';
import { defaultSettings } from '../server/src/settings/validate-settings';
import { loadBroadLargest, venvPython } from './corpus';

const repo = process.argv[process.argv.indexOf('--repo') + 1] as string;
async function main(): Promise<void> {
  const out: string[] = [];
  for (const name of (process.env.FILES ?? 'libcbcf,defs,_tools').split(',')) {
    const target = loadBroadLargest(repo, 3)!.find((f) => f.id.includes(name))!;
    const e = await Engine.create({ ...analyses, log: () => undefined, timeBudgetMs: 120_000 });
    await e.session.discover(venvPython(repo));
    const text = fs.readFileSync(target.path, 'utf8');
    const uri = pathToFileURL(target.path).toString();
    const settings = { ...defaultSettings(), includeDirs: target.includeDirs };
    for (let i = 0; i < 2; i++) { e.open(uri, text, 1); e.analyze(uri, settings); e.close(uri); }
    const cpu: number[] = [];
    for (let i = 0; i < Number(process.env.N ?? 10); i++) {
      e.open(uri, text, 1);
      const c0 = process.cpuUsage();
      e.analyze(uri, settings, { rows: { first: 0, last: 99 } });
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      e.close(uri);
    }
    cpu.sort((a, b) => a - b);
    out.push(`${name}: min ${cpu[0]!.toFixed(1)} median ${cpu[Math.floor(cpu.length / 2)]!.toFixed(1)}`);
    e.dispose();
  }
  console.log(out.join(' | '));
  process.exit(0);
}
void main();
