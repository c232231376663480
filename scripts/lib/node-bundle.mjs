// Bundling TypeScript of this repository for Node with esbuild, the way every script here needs it: web-tree-sitter's
// CJS build (its ESM build needs import.meta.url, which a CJS bundle lacks) and both WASM files beside the bundle.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));

/** esbuild plugin: resolve `web-tree-sitter` to its CommonJS build. */
export const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

/** Options shared by every CJS bundle for Node 20 (extend with entryPoints/stdin and outfile). */
export const nodeBundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  absWorkingDir: root,
  plugins: [webTreeSitterCjs],
  // language.ts falls back to require.resolve only when running unbundled (the WASM is copied beside the bundle).
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/**
 * The CLI into `dir`: `cli.js`, the small launcher (server/src/cli/launcher.ts) that loads `cli-main.js`, the
 * bundle of server/src/cli/main.ts, through V8's code cache. The bundle has no `import()` (a `vm.Script` without a
 * dynamic-import callback cannot run one): esbuild turns them into `require`. `options`: more esbuild options.
 */
export async function bundleCli(dir, options = {}) {
  await Promise.all([
    esbuild.build({
      ...nodeBundleOptions, ...options, entryPoints: [join(root, 'server', 'src', 'cli', 'main.ts')],
      outfile: join(dir, 'cli-main.js'), supported: { 'dynamic-import': false },
    }),
    esbuild.build({
      ...nodeBundleOptions, ...options, entryPoints: [join(root, 'server', 'src', 'cli', 'launcher.ts')],
      outfile: join(dir, 'cli.js'), banner: { js: '#!/usr/bin/env node' },
    }),
  ]);
  chmodSync(join(dir, 'cli.js'), 0o755);
}

/** Copies the tree-sitter runtime and the Cython grammar WASM into `dir`; false when the grammar is missing. */
export function copyWasm(dir, grammar = process.env.CYTHON_LENS_GRAMMAR_WASM || join(root, 'grammar', 'tree-sitter-cython.wasm')) {
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(dir, 'tree-sitter.wasm'));
  if (!existsSync(grammar)) return false;
  copyFileSync(grammar, join(dir, 'tree-sitter-cython.wasm'));
  return true;
}

/** Bundles `contents` (TypeScript re-exports, resolved from the repo root) into `dir` and loads it. */
export async function bundleAndLoad(contents, dir) {
  const outfile = join(dir, 'bundle.cjs');
  await esbuild.build({ ...nodeBundleOptions, stdin: { contents, resolveDir: root, loader: 'ts' }, outfile });
  if (!copyWasm(dir)) throw new Error('grammar/tree-sitter-cython.wasm is missing; run `npm run grammar`');
  return createRequire(import.meta.url)(outfile);
}
