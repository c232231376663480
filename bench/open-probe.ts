// One open of a large broad-corpus module in the bundled server, for profiling and repeated side-by-side runs:
// BENCH_ENTRY=bench/open-probe.ts node scripts/bench.mjs
// MODE=bench (JIT warm from 3 scikit-learn files twice, then the target, as bench/open-latency.ts's cold right after
// start) | first (a fresh server, the target opened right after initialized); FILE=substring of the target's id
// (default libcbcf); WARMING=1 leaves the idle-time .pxd warming on (and waits for it to finish); AGAIN=1 reopens;
// SERVER_FLAGS="--cpu-prof --cpu-prof-dir=DIR" profiles the server. Prints wall and server CPU time to the first
// publication and the monotonic window (us) of didOpen → first publication, to cut the server's profile to it; and the
// first scores published once the Python environment is known (the same publication when it was known at didOpen).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-languageserver/node';
import { ANNOTATIONS_NOTIFICATION, type AnnotationsParams } from '../shared/src/protocol';
import { loadBroadLargest, loadCorpus, venvPython, type CorpusFile } from './corpus';
import { benchCli } from './whole-process';

const repo = process.argv[process.argv.indexOf('--repo') + 1] as string;
const mode = process.env.MODE ?? 'bench';
const real = loadBroadLargest(repo, 3)!;
const target = real.find((f) => f.id.includes(process.env.FILE ?? 'libcbcf'))!;
const warmUp = loadCorpus(repo).files.slice(0, 3);
const python = venvPython(repo);
const cpuOf = (pid: number | undefined): number => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const mono = (): number => Number(process.hrtime.bigint() / 1000n);
const flags = (process.env.SERVER_FLAGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...flags, benchCli(), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const client = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
let current: CorpusFile | undefined;
const targetDir = pathToFileURL(path.dirname(target.path)).toString() + '/';
client.onRequest('workspace/configuration', (params: { items: { scopeUri?: string }[] }) =>
  params.items.map((item) => ({ pythonPath: python, includeDirs: (item.scopeUri?.startsWith(targetDir) ? target : current ?? target).includeDirs })));
client.onRequest('client/registerCapability', () => null);
client.onRequest('window/workDoneProgress/create', () => null);
const notes: { method: string; params: any; at: number }[] = [];
const waiters: { test: (n: any) => boolean; resolve: (n: any) => void }[] = [];
client.onNotification((method: string, params: any) => {
  const n = { method, params, at: performance.now() };
  if (method === 'window/logMessage') console.log(`  [server ${n.at.toFixed(0)}] ${String(params.message).slice(0, 200)}`);
  notes.push(n);
  for (const w of [...waiters]) if (w.test(n)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(n); }
});
client.listen();
const waitFor = (test: (n: any) => boolean, from: number): Promise<any> => {
  const seen = notes.slice(from).find(test);
  return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ test, resolve }));
};
async function open(file: CorpusFile, close = true): Promise<void> {
  current = file;
  const uri = pathToFileURL(file.path).toString();
  const text = fs.readFileSync(file.path, 'utf8');
  const from = notes.length;
  const isDiag = (n: any): boolean => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri;
  const isScores = (n: any): boolean => n.method === ANNOTATIONS_NOTIFICATION && (n.params as AnnotationsParams).uri === uri;
  const t0 = performance.now(); const c0 = cpuOf(child.pid); const m0 = mono();
  const first = Promise.all([waitFor(isDiag, from), waitFor(isScores, from)]).then(([d, s]) => {
    console.log(`${file.id}: first ${(performance.now() - t0).toFixed(0)} ms wall, ${cpuOf(child.pid) - c0} ms CPU, ${s.params.lines.length} lines scored, ${d.params.diagnostics.length} diags, window_us ${m0} ${mono()}`);
  });
  // the first scores published with the Python environment known (the log line says it arrived)
  const envAt = (): number => notes.findIndex((n) => n.method === 'window/logMessage' && String(n.params.message).startsWith('Python environment:'));
  const withEnv = waitFor((n) => n.method === 'window/logMessage' && String(n.params.message).startsWith('Python environment:'), 0)
    .then(() => waitFor(isScores, Math.max(from, envAt())))
    .then((s) => console.log(`${file.id}: first with the environment ${(s.at - t0).toFixed(0)} ms wall, ${cpuOf(child.pid) - c0} ms CPU (at arrival), ${s.params.lines.length} lines scored`));
  const full = waitFor((n) => isScores(n) && !n.params.partial, from).then((n) => {
    console.log(`${file.id}: full ${(performance.now() - t0).toFixed(0)} ms wall, ${cpuOf(child.pid) - c0} ms CPU, ${n.params.lines.length} lines`);
  });
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cython', version: 1, text } });
  await Promise.all([first, full, withEnv]);
  if (!close) return;
  const closed = notes.length;
  await client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  await waitFor((n) => isScores(n) && n.params.lines.length === 0, closed);
}
async function main(): Promise<void> {
const rootUri = pathToFileURL(path.dirname(target.path)).toString();
const tInit = performance.now();
await client.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: null,
  capabilities: { workspace: { configuration: true } }, initializationOptions: { trusted: true, pxdWarmup: process.env.WARMING === '1' } });
await client.sendNotification('initialized', {});
console.log(`initialize ${(performance.now() - tInit).toFixed(0)} ms`);
if (mode === 'bench') for (let round = 0; round < 2; round++) for (const f of warmUp) await open(f);
if (process.env.WARMING === '1') {
  const done = (n: any): boolean => n.method === 'window/logMessage' && String(n.params.message).startsWith('.pxd warm-up done');
  const found = notes.findIndex((n) => n.method === 'window/logMessage' && String(n.params.message).startsWith('Python environment:'));
  await waitFor(done, Math.max(found, 0));
}
if (process.env.DELAY) await new Promise((r) => setTimeout(r, Number(process.env.DELAY)));
await open(target);
if (process.env.AGAIN) await open(target);
await client.sendRequest('shutdown');
await client.sendNotification('exit');
await new Promise((r) => child.on('exit', r));
process.exit(0);
}
void main();
