/**
 * The names a module binds to the `cython` module and to its members, as the compiler's
 * InterpretCompilerDirectives reads them (`cython_module_names`, `directive_names`, `parallel_directives`):
 * `import cython as cy` / `cimport cython as cy` make `cy.nogil` the directive `nogil`; `from cython import nogil as
 * ng` makes `ng` the directive; `from cython.parallel import prange` / `import cython.parallel as par` make
 * `prange` / `par.prange` the parallel construct `parallel.prange`.
 *
 * In a `.py` file (pure Python mode) the parser gives `with nogil:` / `with gil:` no meaning of its own
 * (Parsing.p_with_items reads them only when `not s.in_python_file`): they release or take the GIL only through
 * these names. The model marks the trees of Python sources (`markPythonSourceTree`, from the module's uri) so the
 * GIL state, which reads only nodes, knows.
 */
import type { Tree } from 'web-tree-sitter';
import { type Node, childrenOfType, field, fields, namedChildren } from './syntax';

export interface CythonNames {
  /** Local names bound to the `cython` module (`cython` itself: in a `.py` file only once imported). */
  readonly modules: ReadonlySet<string>;
  /** Local names bound to `cython.parallel`. */
  readonly parallelModules: ReadonlySet<string>;
  /** Local name → the cython member it denotes (`nogil`, `gil`, `parallel.prange`, `parallel.parallel`...). */
  readonly members: ReadonlyMap<string, string>;
}

/** Names of a tree (a WeakMap keyed by the tree: a pure reading of its import statements). */
const namesOfTree = new WeakMap<Tree, CythonNames>();
/** Trees of `.py` sources (a mark on tree objects, WeakSet keyed by them). */
const pythonTrees = new WeakSet<Tree>();

export function markPythonSourceTree(tree: Tree): void {
  if (pythonTrees.has(tree)) return;
  pythonTrees.add(tree);
  namesOfTree.delete(tree); // read before the mark (as a Cython source): read again
}

/** Is this node in a `.py` source (pure Python mode), where bare `with nogil:` is an ordinary with statement? */
export function inPythonSource(node: Node): boolean {
  return pythonTrees.has(node.tree);
}

export function cythonNames(node: Node): CythonNames {
  const tree = node.tree;
  let names = namesOfTree.get(tree);
  if (!names) {
    names = readNames(tree.rootNode, pythonTrees.has(tree));
    namesOfTree.set(tree, names);
  }
  return names;
}

const IMPORTS = new Set(['import_statement', 'cimport_statement', 'import_from_statement', 'cimport_from_statement']);

/**
 * `python`: a `.py` source, where `cython` names the cython module only once imported (`import cython`, `import
 * cython.parallel`: InterpretCompilerDirectives.visit_CImportStatNode adds it to cython_module_names; `from cython...
 * import` does not). Elsewhere it is always the module (as the model has always read .pyx files).
 */
function readNames(root: Node, python: boolean): CythonNames {
  const modules = new Set<string>(python ? [] : ['cython']);
  const parallelModules = new Set<string>();
  const members = new Map<string, string>();
  // Every import that binds a name of cython names the module `cython` (readImport): only the subtrees whose text
  // holds the word are visited, found by the word's offsets in the text. Walking every statement of every function
  // of a new tree (each keystroke makes one) cost ~10 ms per 5k lines.
  const mentions = offsetsOf(root, 'cython');
  if (mentions.length === 0) return { modules, parallelModules, members };
  const visit = (n: Node, depth: number): void => {
    for (const c of namedChildren(n)) {
      if (!holdsOffset(mentions, c.startIndex, c.endIndex - WORD.length)) continue;
      if (IMPORTS.has(c.type)) readImport(c, modules, parallelModules, members);
      // imports at module level, in if/try blocks and in function bodies (a few levels)
      else if (depth < 6 && /statement|clause|block|definition|decorated/.test(c.type)) visit(c, depth + 1);
    }
  };
  visit(root, 0);
  return { modules, parallelModules, members };
}

const WORD = 'cython';

/** Offsets (in the tree's text) where `word` occurs in the text under `root`, ascending. */
function offsetsOf(root: Node, word: string): number[] {
  const text = root.text;
  const out: number[] = [];
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + word.length)) out.push(root.startIndex + i);
  return out;
}

/** Whether an offset of the ascending list lies in [from, to]. */
function holdsOffset(offsets: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && (offsets[lo] as number) <= to;
}

function dotted(n: Node | null): string | undefined {
  return n ? n.text.replace(/\s+/g, '') : undefined;
}

function readImport(stmt: Node, modules: Set<string>, parallelModules: Set<string>, members: Map<string, string>): void {
  const from = stmt.type === 'import_from_statement' || stmt.type === 'cimport_from_statement';
  const moduleName = from ? dotted(field(stmt, 'module_name')) : undefined;
  if (from && moduleName !== 'cython' && moduleName !== 'cython.parallel' && moduleName !== 'cython.dataclasses') return;
  for (const item of fields(stmt, 'name')) {
    const aliased = item.type === 'aliased_import';
    const name = dotted(aliased ? field(item, 'name') : item);
    const alias = aliased ? field(item, 'alias')?.text : undefined;
    if (!name) continue;
    if (!from) {
      // import cython [as cy] / import cython.parallel [as par]
      if (name === 'cython') modules.add(alias ?? 'cython');
      else if (name === 'cython.parallel' && alias) parallelModules.add(alias);
      else if (name.startsWith('cython.') && !alias) modules.add('cython');
      continue;
    }
    const local = alias ?? name;
    if (moduleName === 'cython') {
      if (name === 'parallel') parallelModules.add(local);
      else members.set(local, name);
    } else {
      members.set(local, `${(moduleName ?? "").slice('cython.'.length)}.${name}`);
    }
  }
}

/**
 * The cython member an expression denotes (`cython.nogil`, `cy.nogil`, `ng` bound by `from cython import nogil as
 * ng` → `nogil`; `cython.parallel.prange`, `par.prange`, `prange` → `parallel.prange`), or undefined.
 */
export function cythonMemberOf(expr: Node): string | undefined {
  const names = cythonNames(expr);
  if (expr.type === 'identifier') return names.members.get(expr.text);
  if (expr.type !== 'attribute') return undefined;
  const object = field(expr, 'object');
  const attribute = field(expr, 'attribute')?.text;
  if (!object || !attribute) return undefined;
  if (object.type === 'identifier') {
    if (names.modules.has(object.text)) return attribute;
    if (names.parallelModules.has(object.text)) return `parallel.${attribute}`;
    return undefined;
  }
  if (object.type === 'attribute') {
    // `cython.parallel.prange`, `cython.dataclasses.dataclass` / `cython.dataclasses.field`
    const inner = cythonMemberOf(object);
    return inner === 'parallel' || inner === 'dataclasses' ? `${inner}.${attribute}` : undefined;
  }
  return undefined;
}

/**
 * A decorator that is a cython directive or construct (`@cython.cfunc`, `@cy.nogil`, `@cython.exceptval(-1)`,
 * `@cfunc` after `from cython import cfunc`): its name and the text of its arguments ('' without a call).
 */
export function cythonDecorator(decorator: Node): { name: string; args: string } | undefined {
  const m = /^@\s*(\w+)(?:\s*\.\s*(\w+))?\s*(?:\(([\s\S]*)\))?\s*$/.exec(decorator.text);
  if (!m) return undefined;
  const names = cythonNames(decorator);
  let name: string | undefined;
  if (m[2] !== undefined) name = names.modules.has(m[1]!) ? m[2] : undefined;
  else {
    const member = names.members.get(m[1]!);
    name = member && !member.includes('.') ? member : undefined;
  }
  return name === undefined ? undefined : { name, args: m[3] ?? '' };
}

/** `@cython.cfunc` or `@cython.ccall` on a def: a C function in pure Python mode. */
export function isPureModeCFunction(node: Node): boolean {
  if (node.type !== 'decorated_definition') return false;
  return childrenOfType(node, 'decorator').some((d) => {
    const name = cythonDecorator(d)?.name;
    return name === 'cfunc' || name === 'ccall';
  });
}
