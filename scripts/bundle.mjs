#!/usr/bin/env node
// Bundles the extension client, the language server and the CLI into dist/ (CommonJS, Node 20) and copies
// the WASM files they load at run time next to them.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, webTreeSitterCjs } from './lib/node-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(root, 'dist');
const production = process.argv.includes('--production');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  plugins: [webTreeSitterCjs],
  // language.ts falls back to require.resolve only when running unbundled (the WASM is copied beside the bundle).
  logOverride: { 'require-resolve-not-external': 'silent' },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  bundleCli(dist, { sourcemap: common.sourcemap, minify: common.minify }),
]);

copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(dist, 'tree-sitter.wasm'));
const grammar = process.env.CYTHON_LENS_GRAMMAR_WASM || join(root, 'grammar', 'tree-sitter-cython.wasm');
if (!existsSync(grammar)) {
  console.error(`bundle: ${grammar} is missing; run \`npm run grammar\` first.`);
  process.exit(1);
}
copyFileSync(grammar, join(dist, 'tree-sitter-cython.wasm'));
console.log('bundle: dist/client.js dist/server.js dist/cli.js + cli-main.js, tree-sitter.wasm, tree-sitter-cython.wasm');
