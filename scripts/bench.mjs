#!/usr/bin/env node
// `npm run bench [-- options]`: bundles bench/main.ts (with the server sources it imports) into a temporary
// directory with esbuild, copies the WASM files beside the bundle, and runs it with this Node. Options are passed
// through (see bench/main.ts: --files N, --edits N, --no-compiler, --sections a,b).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const out = mkdtempSync(join(tmpdir(), 'cython-lens-bench-'));
const keep = process.argv.includes('--keep');

await esbuild.build({
  entryPoints: [process.env.BENCH_ENTRY || join(root, 'bench', 'main.ts')],
  outfile: join(out, 'bench.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  // same as scripts/bundle.mjs: bundle web-tree-sitter's CJS build (its ESM build needs import.meta.url)
  plugins: [{
    name: 'web-tree-sitter-cjs',
    setup(build) {
      build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
    },
  }],
  logOverride: { 'require-resolve-not-external': 'silent' },
});
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(out, 'tree-sitter.wasm'));
const grammar = process.env.CYTHON_LENS_GRAMMAR_WASM || join(root, 'grammar', 'tree-sitter-cython.wasm');
if (!existsSync(grammar)) {
  console.error(`bench: ${grammar} is missing; run \`npm run grammar\` first.`);
  process.exit(2);
}
copyFileSync(grammar, join(out, 'tree-sitter-cython.wasm'));

const args = process.argv.slice(2).filter((a) => a !== '--keep');
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const r = spawnSync(process.execPath, [...nodeFlags, join(out, 'bench.js'), '--repo', root, ...args], { stdio: 'inherit' });
if (keep) console.error(`bench: bundle kept in ${out}`);
else rmSync(out, { recursive: true, force: true });
process.exit(r.status ?? 2);
