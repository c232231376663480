/**
 * Loads web-tree-sitter and the Cython grammar WASM exactly once per process.
 *
 * Where the files are looked for:
 *  - bundled (dist/server.js, dist/cli.js): next to the bundle, `dist/tree-sitter-cython.wasm`
 *    and `dist/tree-sitter.wasm` (copied there by scripts/bundle.mjs);
 *  - from source / compiled tests (out/server/src/tree/): `grammar/tree-sitter-cython.wasm` at the repo root
 *    and web-tree-sitter's own runtime from node_modules;
 *  - `CYTHON_LENS_GRAMMAR_WASM` overrides the grammar path (for grammar development).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { WasmModule } from './heap-reader';
import { enableHeapReads, installNodeMemo } from './node-memo';

export const GRAMMAR_WASM = 'tree-sitter-cython.wasm';
const RUNTIME_WASM = 'tree-sitter.wasm';

export interface LoadedGrammar {
  language: Language;
  /** Absolute path of the grammar WASM that was loaded. */
  wasmPath: string;
}

let loading: Promise<LoadedGrammar> | undefined;

/** Candidate locations of the grammar WASM, first existing one wins. */
export function grammarCandidates(baseDir: string = __dirname): string[] {
  const fromEnv = process.env['CYTHON_LENS_GRAMMAR_WASM'];
  const candidates = [
    path.join(baseDir, GRAMMAR_WASM),
    // out/server/src/tree -> repo root; server/src/tree -> repo root
    path.resolve(baseDir, '../../../../grammar', GRAMMAR_WASM),
    path.resolve(baseDir, '../../../grammar', GRAMMAR_WASM),
  ];
  return fromEnv ? [path.resolve(fromEnv), ...candidates] : candidates;
}

export function locateGrammarWasm(baseDir: string = __dirname): string {
  const candidates = grammarCandidates(baseDir);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `Cython grammar not found (looked for ${candidates.join(', ')}); run \`npm run grammar\` or \`npm run build\`.`,
    );
  }
  return found;
}

function locateRuntimeWasm(): string {
  const besideBundle = path.join(__dirname, RUNTIME_WASM);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve('web-tree-sitter/tree-sitter.wasm');
}

/** Initialises the tree-sitter runtime and loads the grammar; memoised (one load per process). */
export function loadGrammar(): Promise<LoadedGrammar> {
  if (!loading) {
    loading = (async () => {
      const runtimeWasm = locateRuntimeWasm();
      // emscripten makes this options object the runtime's module: its memory views are read by tree/heap-reader.ts
      const module: WasmModule & { locateFile: () => string } = { locateFile: () => runtimeWasm };
      await Parser.init(module);
      installNodeMemo(module);
      const wasmPath = locateGrammarWasm();
      const language = await Language.load(fs.readFileSync(wasmPath));
      // CYTHON_LENS_HEAP_READS=0: every node read asks the runtime (comparisons, and a way out if a reading differs)
      if (process.env['CYTHON_LENS_HEAP_READS'] !== '0') enableHeapReads(language, fs.statSync(runtimeWasm).size);
      return { language, wasmPath };
    })();
    // A failed load may be retried (e.g. after `npm run grammar` produced the file).
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** A parser configured for Cython. Parsers are cheap; trees must be `delete()`d by their owner. */
export async function createParser(): Promise<Parser> {
  const { language } = await loadGrammar();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
