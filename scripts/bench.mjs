#!/usr/bin/env node
// `npm run bench [-- options]`: bundles bench/main.ts (with the server sources it imports) into a temporary
// directory with esbuild (and the CLI beside it, as dist/cli.js is bundled), copies the WASM files beside the bundle, and runs it with this Node. Options are passed
// through (see bench/main.ts: --files N, --edits N, --no-compiler, --sections a,b).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, copyWasm, nodeBundleOptions, root } from './lib/node-bundle.mjs';
const out = mkdtempSync(join(tmpdir(), 'cython-lens-bench-'));
const keep = process.argv.includes('--keep');

await esbuild.build({
  ...nodeBundleOptions,
  entryPoints: [process.env.BENCH_ENTRY || join(root, 'bench', 'main.ts')],
  outfile: join(out, 'bench.js'),
  sourcemap: 'linked',
});
// the CLI as dist/cli.js bundles it, for the whole-process figures (bench/whole-process.ts)
await bundleCli(out);
if (!copyWasm(out)) {
  console.error('bench: grammar/tree-sitter-cython.wasm is missing; run `npm run grammar` first.');
  process.exit(2);
}

const args = process.argv.slice(2).filter((a) => a !== '--keep');
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
// the CLI's compile cache (server/src/cli/launcher.ts) of this bundle lives and dies with it
const env = { ...process.env, CYTHON_LENS_COMPILE_CACHE: process.env.CYTHON_LENS_COMPILE_CACHE || join(out, 'compile-cache') };
const r = spawnSync(process.execPath, [...nodeFlags, join(out, 'bench.js'), '--repo', root, ...args], { stdio: 'inherit', env });
if (keep) console.error(`bench: bundle kept in ${out}`);
else rmSync(out, { recursive: true, force: true });
process.exit(r.status ?? 2);
