/**
 * The semantic model of an open document, built once per document version and shared by every feature
 * (diagnostics, hover, completion, signature help, annotations, code actions, the GIL-state request).
 */
import * as fs from 'node:fs';
import type { Node, Tree } from 'web-tree-sitter';
import { type AnalysisSession, SessionSlot } from './analysis-session';
import { type ClassInfo, definedClassOf } from './c-types';
import type { FunctionInfo } from './function-scope';
import { type GilState, HELD, bodyState } from './gil-state';
import { type ModuleBase, type ModuleModel, buildModuleBase, moduleView } from './module-model';
import { type ModuleInterface, moduleInterface, sameInterface } from './module-interface';
import { isPythonSourcePath } from './pure-python-mode';
import { rebaseDeclarations } from './declaration-rebase';
import { PatchMemo, patchDeclarations } from './declaration-patch';
import type { Scope } from './symbols';
import { field, namedChildren } from './syntax';

interface Cached {
  version: number;
  tree: Tree;
  /** include dirs + .pxd cache generation the base was built with */
  key: string;
  /** the session's analysis count when the base was built (AnalysisSession.analyses) */
  builtIn: number;
  /** the build's directives the view was made with (`cythonLens.directives`, `-X`) */
  directives: string;
  /**
   * the module interface (module-interface.ts); undefined after a document's first build until it is needed (the
   * next version's comparison) or the model is asked for again (interfaceOf): not before the document's first report
   */
  iface: ModuleInterface | undefined;
  /** modification times of the included files */
  includeTimes: string;
  /** interface parts of the top-level statements, by text (module-interface.ts); undefined with `iface` */
  parts: Map<string, string> | undefined;
  base: ModuleBase;
  /** The base's own copy of the tree it was built from: its declarations keep nodes of that tree. */
  baseTree: Tree;
  /** What patching the base's declarations needs across versions (declaration-patch.ts). */
  patches: PatchMemo;
  model: ModuleModel;
}

/** The models of a session's documents, by URI. */
const MODELS = new SessionSlot('document models', () => ({
  cache: new Map<string, Cached>(),
  stats: { built: 0, reused: 0, moved: 0, patched: 0, interfaces: 0 },
}), {
  forget: (m, uri) => {
    m.cache.get(uri)?.baseTree.delete();
    m.cache.delete(uri);
  },
  dispose: (m) => {
    for (const hit of m.cache.values()) hit.baseTree.delete();
    m.cache.clear();
  },
});

export interface ModelSource {
  uri: string;
  version: number;
  tree: Tree;
}

/** Statistics for benchmarks and tests: how often a new version reused the module's declarations. */
export function documentModelStats(session: AnalysisSession):
  Readonly<{ built: number; reused: number; moved: number; patched: number; interfaces: number }> {
  return { ...session.slot(MODELS).stats };
}

/**
 * The model of `doc`. A new version (tree) gets a new view; the module's declarations are rebuilt only when the
 * interface (declarations, headers, their columns), the include dirs or the .pxd cache changed; when only the rows
 * of statements changed, their locations are moved instead (declaration-rebase.ts); when one C function or the
 * members of one cdef class changed, that statement alone is collected again (declaration-patch.ts).
 */
export function documentModel(session: AnalysisSession, doc: ModelSource, includeDirs: readonly string[] = [],
  directives: Readonly<Record<string, string>> = {}): ModuleModel {
  const directivesKey = JSON.stringify(directives);
  // the document's own include dirs decide its cimports (one resolver per list of include dirs)
  const resolver = session.resolver(doc.tree.language, includeDirs);
  const { cache, stats } = session.slot(MODELS);
  // The .pxd cache generation changes when search paths change (e.g. the Python environment was discovered) or a
  // .pxd was reloaded: cimports must then be resolved again.
  const key = `${includeDirs.join('\0')}\0${resolver.generation}`;
  const hit = cache.get(doc.uri);
  const pythonSource = isPythonSourcePath(doc.uri);
  if (hit && hit.version === doc.version && hit.tree === doc.tree && hit.key === key
    && hit.directives === directivesKey) {
    // a later analysis of the same version (the progressive open's next slices: after the first report) reads the
    // interface the first build left out, ready for the next version
    if (!hit.iface && session.analyses > hit.builtIn) interfaceOf(hit, pythonSource, stats);
    return hit.model;
  }
  // a document's first model: its interface is read later (only a later version compares with it)
  const old = hit && interfaceOf(hit, pythonSource, stats);
  const { iface, memo: parts } = old
    ? (stats.interfaces++, moduleInterface(doc.tree.rootNode, old.parts, pythonSource))
    : { iface: undefined, memo: undefined };
  if (hit && old && iface && hit.key === key && hit.includeTimes === includeTimes(hit.base.includedFiles)
    && reusable(hit, old.iface, iface, stats)) {
    const model = moduleView(hit.base, doc.tree.rootNode, directives);
    // the new parts (same strings where unchanged), so that the next comparison is by reference again
    cache.set(doc.uri, { ...hit, version: doc.version, tree: doc.tree, model, parts, iface, directives: directivesKey });
    stats.reused++;
    return model;
  }
  if (hit && old && iface && hit.key === key && hit.includeTimes === includeTimes(hit.base.includedFiles)
    && patchDeclarations(hit.base, hit.patches, old.iface, iface, doc.tree.rootNode)) {
    // one statement's declarations collected again; loading a .pxd meanwhile bumped the generation: keep the new one
    const model = moduleView(hit.base, doc.tree.rootNode, directives);
    cache.set(doc.uri, { ...hit, version: doc.version, tree: doc.tree, model, parts, iface, directives: directivesKey,
      key: `${includeDirs.join('\0')}\0${resolver.generation}` });
    stats.patched++;
    return model;
  }
  const baseTree = doc.tree.copy();
  let base: ModuleBase;
  try {
    base = buildModuleBase(baseTree, doc.uri, resolver);
  } catch (err) {
    baseTree.delete();
    throw err;
  }
  hit?.baseTree.delete();
  const model = moduleView(base, doc.tree.rootNode, directives);
  // Loading this module's .pxd files bumped the generation: remember the one the model is consistent with.
  const builtKey = `${includeDirs.join('\0')}\0${resolver.generation}`;
  cache.set(doc.uri, {
    version: doc.version, tree: doc.tree, key: builtKey, builtIn: session.analyses, directives: directivesKey, iface,
    includeTimes: includeTimes(base.includedFiles), parts,
    base, baseTree, patches: new PatchMemo(baseTree.rootNode), model,
  });
  stats.built++;
  return model;
}

/**
 * The interface of the version a cache entry holds, read now if its first build left it out (from the base's copy of
 * that version's tree: an entry without one was just built, from that tree).
 */
function interfaceOf(hit: Cached, pythonSource: boolean, stats: { interfaces: number }):
  { iface: ModuleInterface; parts: Map<string, string> } {
  if (!hit.iface || !hit.parts) {
    stats.interfaces++;
    const { iface, memo } = moduleInterface(hit.baseTree.rootNode, undefined, pythonSource);
    hit.iface = iface;
    hit.parts = memo;
  }
  return { iface: hit.iface, parts: hit.parts };
}

/** The same interface, or the same one at other rows (the declarations' locations are then moved to them). */
function reusable(hit: Cached, old: ModuleInterface, iface: ModuleInterface, stats: { moved: number }): boolean {
  if (sameInterface(old, iface)) return true;
  if (!rebaseDeclarations(hit.base, old, iface)) return false;
  stats.moved++;
  return true;
}

/** An included file that changed on disk changes the module's declarations too. */
function includeTimes(files: readonly string[]): string {
  let out = '';
  for (const f of files) {
    let mtime = -1;
    try {
      mtime = fs.statSync(f).mtimeMs;
    } catch {
      // gone: differs from its recorded time
    }
    out += `\u0001${f}\u0001${mtime}`;
  }
  return out;
}

export interface PositionContext {
  /** GIL state at the position. */
  state: GilState;
  /** Innermost scope at the position (function locals, else the module). */
  scope: Scope;
  fn: FunctionInfo | undefined;
  cls: ClassInfo | undefined;
}

/**
 * The GIL state and scope at an offset, found by walking from the root down to the innermost node that contains
 * it, applying the same transitions as the GIL walker.
 */
export function contextAt(model: ModuleModel, root: Node, offset: number): PositionContext {
  let ctx: PositionContext = { state: HELD, scope: model.declarations.scope, fn: undefined, cls: undefined };
  let node: Node | null = root;
  while (node) {
    const child: Node | undefined = namedChildren(node).find((c) => c.startIndex <= offset && offset <= c.endIndex);
    if (!child) break;
    ctx = step(model, child, ctx, offset);
    node = child;
  }
  return ctx;
}

function step(model: ModuleModel, node: Node, ctx: PositionContext, offset: number): PositionContext {
  switch (node.type) {
    case 'class_definition': case 'cdef_class_definition': case 'cypclass_definition': {
      const name = field(node, 'name')?.text;
      const sym = name ? ctx.scope.lookup(name) : undefined;
      return { ...ctx, cls: definedClassOf(sym?.type) };
    }
    case 'function_definition': case 'c_function_definition': {
      const body = field(node, 'body');
      if (!body || offset < body.startIndex) return ctx;
      const info = model.functionInfo(node, ctx.scope, ctx.cls);
      const sig = info.signature;
      let state: GilState = HELD;
      if (sig && sig.nogil && !sig.withGil) {
        const spec = namedChildren(node).find((c) => c.type === 'gil_spec' && c.text.trim() === 'nogil');
        state = { kind: 'nogil-function', releasedBy: spec ?? field(node, 'name') ?? node };
      }
      return { state, scope: info.scope, fn: info, cls: ctx.cls };
    }
    case 'raise_statement':
      return { ...ctx, state: HELD };
    default: {
      const body = field(node, 'body');
      if (!body || offset < body.startIndex) return ctx;
      const inner = bodyState(node, ctx.state, (c) => model.constantCondition(c));
      return inner ? { ...ctx, state: inner } : ctx;
    }
  }
}
