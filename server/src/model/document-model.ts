/**
 * The semantic model of an open document, built once per document version and shared by every feature
 * (diagnostics, hover, completion, signature help, annotations, code actions, the GIL-state request).
 */
import type { Node, Tree } from 'web-tree-sitter';
import { analysisEnvironment } from './analysis-environment';
import type { ClassInfo } from './c-types';
import type { FunctionInfo } from './function-scope';
import { type GilState, HELD, bodyState } from './gil-state';
import { buildModuleModel, type ModuleModel } from './module-model';
import type { Scope } from './symbols';
import { field, namedChildren } from './syntax';

interface Cached {
  version: number;
  tree: Tree;
  includeDirs: string;
  model: ModuleModel;
}

const cache = new Map<string, Cached>();

export interface ModelSource {
  uri: string;
  version: number;
  tree: Tree;
}

/** The model of `doc`; rebuilt when the version, the tree or the include dirs changed. */
export function documentModel(doc: ModelSource, includeDirs: string[] = []): ModuleModel {
  analysisEnvironment.setIncludeDirs(includeDirs);
  const resolver = analysisEnvironment.resolver(doc.tree.language);
  // The .pxd cache generation changes when search paths change (e.g. the Python environment was discovered) or a
  // .pxd was reloaded: cimports must then be resolved again.
  const key = `${includeDirs.join('\0')}\0${resolver.generation}`;
  const hit = cache.get(doc.uri);
  if (hit && hit.version === doc.version && hit.tree === doc.tree && hit.includeDirs === key) return hit.model;
  const model = buildModuleModel(doc.tree, doc.uri, resolver, (text) => analysisEnvironment.parse(text));
  // Loading this module's .pxd files bumped the generation: remember the one the model is consistent with.
  const builtKey = `${includeDirs.join('\0')}\0${resolver.generation}`;
  cache.set(doc.uri, { version: doc.version, tree: doc.tree, includeDirs: builtKey, model });
  return model;
}

export function forgetDocumentModel(uri: string): void {
  cache.delete(uri);
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
      return { ...ctx, cls: sym?.type.kind === 'py' ? sym.type.cls : undefined };
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
