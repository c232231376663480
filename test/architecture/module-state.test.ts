/**
 * State lives in objects the Engine owns (its AnalysisSession, model/analysis-session.ts), never in module-level
 * maps or variables: this test reads every top-level declaration of server/src with the TypeScript parser and fails
 * on a module-level `let`/`var`, or a `const` holding a new empty Map/Set/WeakMap/WeakSet, unless it is listed below
 * with why it is not state shared between sessions (a memo of a pure function of an immutable key, a constant
 * built once). A per-document or per-file cache belongs in a `SessionSlot` instead.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../support/paths';

const SERVER_SRC = path.join(REPO_ROOT, 'server', 'src');

/** `file (relative to server/src): name` → why it is not shared mutable state. */
const ALLOWED: Record<string, string> = {
  'model/builtins.ts: builtinScope': 'the builtins scope, built once from constant tables, never changed',
  'model/declaration-rebase.ts: unresolvedAt': 'data attached to unresolved-cimport objects (a WeakMap keyed by them)',
  'model/cython-names.ts: namesOfTree': 'memo of a pure reading of a tree\'s import statements (WeakMap keyed by the tree)',
  'model/cython-names.ts: pythonTrees': 'a mark on tree objects of .py sources (WeakSet keyed by them)',
  'model/type-resolution.ts: typeSyntaxMemo': 'memo of a pure parse of type text (string → immutable syntax)',
  'model/module-interface.ts: uncomparable': 'a counter making each uncomparable shape a distinct string',
  'model/syntax.ts: fieldIdsLanguage': 'field ids of the one grammar (a constant of the loaded language)',
  'model/syntax.ts: fieldIds': 'field ids of the one grammar (a constant of the loaded language)',
  'tree/language.ts: loading': 'the grammar is loaded once per process (immutable WASM)',
  'tree/node-memo.ts: installed': 'the shared node objects are installed once per process',
  'tree/node-memo.ts: namedTypes': 'per-language constant table (WeakMap keyed by the language)',
  'tree/node-memo.ts: wasmModule': 'the runtime\'s module object (its memory views), set once per process with the memo',
  'tree/node-memo.ts: heapReaders': 'per-language heap reader (WeakMap keyed by the language), set once at grammar load',
  'engine/definition-cache.ts: descriptors': 'memo keyed by a scope object (WeakMap): dies with the scope',
  'engine/definition-cache.ts: patchIndexes': 'index of a scope\'s append-only patch list (WeakMap keyed by the scope): dies with it',
  'annotations/static-annotator.ts: grouped': 'lines of cached unit costs (WeakMap keyed by the never-changed arrays): dies with them',
  'engine/definition-units.ts: memo': 'units of a tree node (WeakMap keyed by the node), per split option',
  'engine/definition-units.ts: treeMemo': 'units of a tree\'s statements (WeakMap keyed by its root node), per split option',
  'checks/gil/gil-walker.ts: rulesByType': 'dispatch table of a rule list (WeakMap keyed by the constant list)',
  'checks/call-arguments.ts: sweeps': 'calls and definitions of a tree node (WeakMap keyed by the node)',
  'lapack/call-contract.ts: contracts': 'memo of a pure reading of a routine object\'s documentation (WeakMap keyed by it)',
  'checks/call-arguments.ts: scopeSet': 'a constant set built on first use',
  'checks/call-arguments/declaring-sources.ts: cppVerdicts': 'data attached to a session\'s .pxd text entries (WeakMap keyed by them)',
  'features/semantic-tokens.ts: tokenCache': 'tokens of a model (WeakMap keyed by the model object)',
  'lapack/workspace-rules.ts: formulaCache': 'memo of a pure parse of constant formula text',
  'lapack/database.ts: cache': 'one reader per database file: immutable data shipped with the extension',
  'code-actions/fix-context.ts: safeActions': 'a mark on code-action objects (WeakSet keyed by them)',
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet']);

/** Module-level mutable state of a source text: `let`/`var` names and consts holding a new empty collection. */
export function moduleState(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isVariableStatement(stmt)) continue;
    const list = stmt.declarationList;
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    for (const d of list.declarations) {
      const name = d.name.getText(sf);
      if (!isConst) {
        out.push(name);
        continue;
      }
      const init = d.initializer;
      if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && COLLECTIONS.has(init.expression.text)
        && (init.arguments?.length ?? 0) === 0) {
        out.push(name);
      }
    }
  }
  return out;
}

describe('no module-level state in server/src', () => {
  it('the detector finds module-level lets and empty collections, not constant tables', () => {
    const found = moduleState('x.ts', [
      'let a = 1;', 'var b;', 'const c = new Map<string, number>();', 'const d = new WeakMap();',
      "const E = new Set(['x', 'y']);", 'const f = 3;', 'export let g: string | undefined;',
      'function h() { let inner = new Map(); return inner; }',
    ].join('\n'));
    assert.deepEqual(found, ['a', 'b', 'c', 'd', 'g']);
  });

  it('every module-level variable or empty collection is a listed constant or memo, and every listed one exists', () => {
    const found = new Set<string>();
    for (const file of sourceFiles(SERVER_SRC)) {
      const rel = path.relative(SERVER_SRC, file).split(path.sep).join('/');
      for (const name of moduleState(file, fs.readFileSync(file, 'utf8'))) found.add(`${rel}: ${name}`);
    }
    const unlisted = [...found].filter((k) => !(k in ALLOWED));
    assert.deepEqual(unlisted, [], 'module-level state: move it into a SessionSlot (model/analysis-session.ts) or '
      + 'an object the Engine owns, or list it in ALLOWED with why it is not shared state');
    assert.deepEqual(Object.keys(ALLOWED).filter((k) => !found.has(k)), [], 'listed but gone: remove from ALLOWED');
  });
});
