/**
 * Navigation on the real scikit-learn tree, through the real server in its own process (`cli.js lsp --stdio`, as an
 * editor starts it; this process is the client, decoding the answers as the editor's would): time to list the
 * workspace and build the outlines of every file (first workspace/symbol), definition latency over every
 * identifier of a few files, references (with the declaration) of widely used names across the tree, and the
 * server's peak RSS and CPU time. Every request must answer without an error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { LspProcess } from '../test/support/lsp-process';
import { percentile } from './stats';

export interface NavigationResult {
  files: number;
  indexMs: number;
  symbols: number;
  definition: { count: number; answered: number; p50: number; p95: number };
  /**
   * Per name: the first run (reads the files), then WARM_RUNS warm runs after a second one: ms and p95, their median
   * and 95th percentile wall time (request sent to answer decoded); serverCpuMs, the server's CPU time over the warm
   * runs divided by their number (/proc counts in 10 ms steps: a mean, not a percentile; less sensitive to load);
   * clientCpuMs, the median CPU time this process (the client) spent in one, mostly decoding the answer.
   */
  references: { name: string; found: number; files: number; firstMs: number; ms: number; p95: number;
    serverCpuMs: number | undefined; clientCpuMs: number; warm: number[] }[];
  /** Over the warm runs of every name. */
  referencesP95: number;
  /** The server's CPU time over all warm runs, per request. */
  referencesServerCpuMs: number | undefined;
  /** The server process's peak RSS (undefined where /proc is missing), and this client process's. */
  peakRssMb: number | undefined;
  clientPeakRssMb: number;
  /** The server's resident set (MB) after each phase, and its peak then (where is the memory taken). */
  rssByPhase: { phase: string; rssMb: number | undefined; peakMb: number | undefined }[];
  errors: string[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Warm references requests measured per name (a 95th percentile needs a few tens of samples). */
const WARM_RUNS = 10;

export async function navigationBench(cli: string, root: string, python: string, includeDirs: string[], sample: string[],
  names: { file: string; name: string }[]): Promise<NavigationResult> {
  // BENCH_SERVER_NODE_FLAGS: Node flags for the server process (e.g. to try heap settings)
  const pair = LspProcess.start(cli, (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean));
  const rssByPhase: NavigationResult['rssByPhase'] = [];
  const phase = (name: string): void => {
    rssByPhase.push({ phase: name, rssMb: pair.rssMb(), peakMb: pair.peakRssMb() });
  };
  const errors: string[] = [];
  pair.config = { pythonPath: python, includeDirs };
  const rootUri = pathToFileURL(root).toString();
  await pair.client.sendRequest('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'sklearn' }],
    // as VS Code: the client watches the files (the server then trusts its cached texts until told of a change)
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { trusted: true } });
  await pair.client.sendNotification('initialized', {});
  pair.waitFor((n) => n.method === 'window/logMessage' && /\[error\]/.test((n.params as { message: string }).message), 3_600_000)
    .then((n) => errors.push((n.params as { message: string }).message), () => undefined);
  const open = async (file: string): Promise<string> => {
    const text = fs.readFileSync(file, 'utf8');
    await pair.open(pathToFileURL(file).toString(), text, 1);
    await pair.diagnostics(pathToFileURL(file).toString(), 1);
    return text;
  };
  await open(sample[0]!);
  phase('first file open');
  await pair.waitFor((n) => n.method === 'window/logMessage' && /Python environment: /.test((n.params as { message: string }).message), 30000)
    .catch(() => undefined);
  // a query nothing matches: every file is listed and outlined
  const t0 = performance.now();
  await pair.client.sendRequest('workspace/symbol', { query: 'zzzzqqqxxxjjj' });
  const indexMs = performance.now() - t0;
  const symbols: unknown[] = await pair.client.sendRequest('workspace/symbol', { query: '' });
  phase('workspace symbols');

  const times: number[] = [];
  let answered = 0;
  for (const file of sample) {
    const text = await open(file);
    const uri = pathToFileURL(file).toString();
    const lines = text.split('\n');
    for (let line = 0; line < lines.length; line++) {
      for (const m of lines[line]!.matchAll(IDENT)) {
        const t = performance.now();
        const r = await pair.client.sendRequest('textDocument/definition',
          { textDocument: { uri }, position: { line, character: m.index! } }) as Location[] | null;
        times.push(performance.now() - t);
        if (r && r.length) answered++;
      }
    }
  }
  phase('definitions');
  const references: NavigationResult['references'] = [];
  for (const { file, name } of names) {
    const text = await open(file);
    const uri = pathToFileURL(file).toString();
    const lines = text.split('\n');
    // the first line that uses the name outside a comment
    const line = lines.findIndex((l) => new RegExp(`^[^#]*\\b${name}\\b`).test(l));
    if (line < 0) continue;
    const character = new RegExp(`\\b${name}\\b`).exec(lines[line]!)!.index;
    let firstMs = 0;
    let found: Location[] | null = null;
    const warm: number[] = [];
    const warmCpu: number[] = [];
    let serverCpu: number | undefined;
    // the first run reads the files; the second is the first warm one; then WARM_RUNS more are measured
    for (let run = 0; run < 2 + WARM_RUNS; run++) {
      if (run === 2) serverCpu = pair.cpuMs();
      const t = performance.now();
      const cpu = process.cpuUsage();
      const r = await pair.client.sendRequest('textDocument/references',
        { textDocument: { uri }, position: { line, character }, context: { includeDeclaration: true } }) as Location[] | null;
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      if (run === 0) {
        firstMs = ms;
        found = r;
      } else if (run >= 2) {
        warm.push(ms);
        warmCpu.push((used.user + used.system) / 1000);
        if ((r?.length ?? 0) !== (found?.length ?? 0)) errors.push(`references of ${name}: ${r?.length} found, first ${found?.length}`);
      }
    }
    const after = pair.cpuMs();
    const serverCpuMs = serverCpu === undefined || after === undefined ? undefined : (after - serverCpu) / WARM_RUNS;
    warm.sort((a, b) => a - b);
    warmCpu.sort((a, b) => a - b);
    references.push({ name, found: found?.length ?? 0, files: new Set((found ?? []).map((l) => l.uri)).size, firstMs,
      ms: percentile(warm, 50), p95: percentile(warm, 95), serverCpuMs, clientCpuMs: percentile(warmCpu, 50), warm });
    phase(`references of ${name}`);
  }
  const peakRssMb = pair.peakRssMb();
  await pair.dispose();
  const sorted = [...times].sort((a, b) => a - b);
  const refTimes = references.flatMap((r) => r.warm).sort((a, b) => a - b);
  return {
    files: new Set((symbols as { location: { uri: string } }[]).map((s) => s.location.uri)).size,
    indexMs, symbols: symbols.length,
    definition: { count: times.length, answered, p50: percentile(sorted, 50), p95: percentile(sorted, 95) },
    references, referencesP95: percentile(refTimes, 95),
    referencesServerCpuMs: references.every((r) => r.serverCpuMs !== undefined)
      ? references.reduce((n, r) => n + (r.serverCpuMs as number), 0) / references.length : undefined,
    peakRssMb, clientPeakRssMb: process.resourceUsage().maxRSS / 1024, rssByPhase, errors,
  };
}

export function sklearnSample(root: string): { sample: string[]; names: { file: string; name: string }[] } {
  const at = (rel: string): string => path.join(root, rel);
  const sample = ['sklearn/utils/_typedefs.pxd', 'sklearn/tree/_tree.pyx', 'sklearn/utils/_random.pyx']
    .map(at).filter((f) => fs.existsSync(f));
  const names = [
    { file: at('sklearn/utils/_typedefs.pxd'), name: 'float64_t' },
    { file: at('sklearn/utils/_typedefs.pxd'), name: 'intp_t' },
    { file: at('sklearn/tree/_tree.pyx'), name: 'Node' },
  ].filter((n) => fs.existsSync(n.file));
  return { sample, names };
}
