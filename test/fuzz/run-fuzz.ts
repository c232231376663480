/**
 * `npm run fuzz [-- --seed N --steps N --files N --protocol-steps N]`: the long fuzz run. Engine fuzzing on real
 * files (repository examples, scikit-learn and Cython sdists when unpacked) and mutated copies, protocol fuzzing
 * against the in-memory server, and every enormous input through every check. Prints iterations, edits, crashes,
 * hangs and disagreements; exit status 1 if any problem was found (each printed with its seed and step).
 */
import { fuzzEngine } from './engine-fuzz';
import { checkEnormous } from './enormous-check';
import { ENORMOUS } from './enormous-inputs';
import { fuzzProtocol } from './protocol-fuzz';
import { realFiles } from './real-files';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<number> {
  const seed = option('seed', 1);
  const steps = option('steps', 300);
  const boundMs = option('bound-ms', 30_000);
  const files = realFiles(option('files', 40), 120_000);
  const t0 = Date.now();
  console.log(`fuzz: seed ${seed}, ${files.length} real files (+ as many mutants), ${steps} edit batches each`);
  const engine = await fuzzEngine({ seed, files, steps, compareEvery: 2, boundMs, mutants: true, log: (l) => console.log(`  ${l}`),
    dumpDir: process.env['FUZZ_DUMP_DIR'] });
  console.log(`engine: ${engine.iterations} iterations, ${engine.edits} edits, ${engine.comparisons} comparisons with a fresh open `
    + `(${engine.settled} after settling a broken incremental tree, ${engine.settledChanged} of which changed the report); `
    + `crashes ${engine.crashes}, hangs ${engine.hangs}, disagreements ${engine.disagreements}; slowest analysis ${engine.slowestMs.toFixed(0)} ms`);
  const protocolProblems: string[] = [];
  let requests = 0;
  let changes = 0;
  let cancelled = 0;
  let hangs = 0;
  let crashes = 0;
  for (const [i, file] of files.filter((f) => f.text.length > 2000).slice(0, 5).entries()) {
    const p = await fuzzProtocol({ seed: seed + i, text: file.text, steps: option('protocol-steps', 300), boundMs });
    requests += p.requests;
    changes += p.changes;
    cancelled += p.cancelled;
    hangs += p.hangs;
    crashes += p.crashes;
    protocolProblems.push(...p.problems);
    for (const l of p.problems) console.log(`  ${l}`);
  }
  console.log(`protocol: ${changes} didChange, ${requests} requests (${cancelled} cancelled); crashes ${crashes}, hangs ${hangs}, problems ${protocolProblems.length}`);
  const enormous: string[] = [];
  for (const { name, make } of ENORMOUS) {
    const r = await checkEnormous(name, make());
    enormous.push(...r.problems);
    console.log(`enormous: ${name}: ${r.problems.length ? r.problems.join('; ') : 'ok'} (${(r.ms / 1000).toFixed(1)} s)`);
  }
  const total = engine.problems.length + protocolProblems.length + enormous.length;
  console.log(`fuzz: ${total === 0 ? 'no problems' : `${total} problem(s)`} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return total === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(2);
});
