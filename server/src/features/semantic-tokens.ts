/**
 * Semantic tokens (full document): every identifier the model can resolve, typed by the model, so editors colour
 * C-typed names (modifier `cType`) differently from Python objects (modifier `pythonObject`). One cursor walk over
 * the document's current tree with the scope of each function (the shared model; no re-parse); attributes are
 * typed by the model's expression typer.
 */
import type { SemanticTokens, SemanticTokensLegend, SemanticTokensParams } from 'vscode-languageserver';
import type { TreeCursor } from 'web-tree-sitter';
import { type CType, type ClassInfo, PY_BUILTIN_TYPES, isKnownC, scalarType } from '../model/c-types';
import type { ModuleModel } from '../model/module-model';
import type { Scope, Symbol } from '../model/symbols';
import type { Node } from '../model/syntax';
import { field } from '../model/syntax';
import { analyseDocument, guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';

export const TOKEN_TYPES = [
  'namespace', 'type', 'class', 'enum', 'struct', 'parameter', 'variable', 'property', 'enumMember', 'function',
  'method',
] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary', 'cType', 'pythonObject'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

export interface Classified {
  type: TokenType;
  modifiers: TokenModifier[];
}

/** `cType` for known C types, `pythonObject` for Python objects, nothing when the type is unknown. */
function natureOf(t: CType): TokenModifier[] {
  if (t.kind === 'py') return ['pythonObject'];
  return isKnownC(t) ? ['cType'] : [];
}

/** How a resolved name is shown; undefined: no token (unresolved, or nothing worth colouring). */
export function classifySymbol(sym: Symbol): Classified | undefined {
  switch (sym.kind) {
    case 'c-variable':
    case 'py-variable': {
      const enumerator = sym.origin !== undefined && (sym.origin.startsWith('enum ') || sym.origin === 'anonymous enum');
      const type: TokenType = sym.binding === 'argument' ? 'parameter'
        : sym.binding === 'class' ? 'property'
          : enumerator ? 'enumMember' : 'variable';
      const constant = enumerator || sym.origin === 'compile-time constant (DEF)';
      return { type, modifiers: constant ? [...natureOf(sym.type), 'readonly'] : natureOf(sym.type) };
    }
    case 'c-function':
      return { type: sym.binding === 'class' ? 'method' : 'function', modifiers: ['cType'] };
    case 'py-function':
      return { type: sym.binding === 'class' ? 'method' : 'function', modifiers: ['pythonObject'] };
    case 'py-class':
    case 'ext-class':
      return { type: 'class', modifiers: ['pythonObject'] };
    case 'c-type': {
      const t = sym.type;
      if (t.kind === 'py') return { type: 'class', modifiers: ['pythonObject'] };
      const type: TokenType = t.kind === 'struct' ? 'struct' : t.kind === 'enum' ? 'enum'
        : t.kind === 'cpp' ? 'class' : 'type';
      return { type, modifiers: ['cType'] };
    }
    case 'cimported-module':
      return { type: 'namespace', modifiers: ['cType'] };
    case 'py-module':
      return { type: 'namespace', modifiers: ['pythonObject'] };
    case 'builtin':
      return { type: PY_BUILTIN_TYPES.has(sym.name) ? 'class' : 'function', modifiers: ['defaultLibrary', 'pythonObject'] };
    case 'cython-builtin':
      return { type: 'function', modifiers: ['defaultLibrary'] };
    case 'unresolved':
      return undefined;
  }
}

interface WalkContext {
  scope: Scope;
  cls: ClassInfo | undefined;
}

const FUNCTION_NODES = new Set(['function_definition', 'c_function_definition']);
const CLASS_NODES = new Set(['class_definition', 'cdef_class_definition', 'cypclass_definition']);

/** Encodes tokens in LSP's relative form as they arrive (they come in document order). */
class TokenEncoder {
  readonly data: number[] = [];
  private line = 0;
  private char = 0;

  constructor(private readonly positionAt: (offset: number) => { line: number; character: number }) {}

  push(start: number, end: number, c: Classified): void {
    const p = this.positionAt(start);
    const deltaLine = p.line - this.line;
    const deltaChar = deltaLine === 0 ? p.character - this.char : p.character;
    let mods = 0;
    for (const m of c.modifiers) mods |= 1 << TOKEN_MODIFIERS.indexOf(m);
    this.data.push(deltaLine, deltaChar, end - start, TOKEN_TYPES.indexOf(c.type), mods);
    this.line = p.line;
    this.char = p.character;
  }
}

/** The token of one identifier at the cursor, or undefined. */
function classifyIdentifier(model: ModuleModel, cursor: TreeCursor, parentType: string | undefined, ctx: WalkContext):
  Classified | undefined {
  const fieldName = cursor.currentFieldName;
  if (parentType === 'keyword_argument' && fieldName === 'name') return undefined;
  const node = cursor.currentNode;
  const name = node.text;
  if (parentType === 'attribute' && fieldName === 'attribute') {
    const attr = node.parent;
    if (!attr) return undefined;
    const info = model.typer.info(attr, ctx.scope);
    if (info.symbol) return classifySymbol(info.symbol);
    const modifiers = natureOf(info.type);
    if (modifiers.length === 0) return undefined;
    return { type: info.callee || info.type.kind === 'func' ? 'method' : 'property', modifiers };
  }
  // later parts of a dotted name (`np.float64_t`, `libc.math`) are not names in scope
  if (parentType === 'dotted_name' && node.previousNamedSibling) return undefined;
  const sym = ctx.scope.lookup(name);
  if (!sym) {
    if (parentType === 'c_type' && fieldName === 'name' && scalarType(name)) {
      return { type: 'type', modifiers: ['defaultLibrary', 'cType'] };
    }
    return undefined;
  }
  const classified = classifySymbol(sym);
  if (!classified) return undefined;
  const loc = sym.location;
  if (loc && loc.uri === model.uri && loc.line === node.startPosition.row
    && loc.character <= node.startPosition.column && node.startPosition.column < (loc.endLine === loc.line
      ? loc.endCharacter : Number.MAX_SAFE_INTEGER)) {
    return { type: classified.type, modifiers: [...classified.modifiers, 'declaration'] };
  }
  return classified;
}

/** Semantic tokens of a whole tree: one walk, scopes entered as functions are met. */
export function semanticTokensOf(model: ModuleModel, cursor: TreeCursor,
  positionAt: (offset: number) => { line: number; character: number }): number[] {
  const encoder = new TokenEncoder(positionAt);
  const visit = (parentType: string | undefined, ctx: WalkContext): void => {
    const type = cursor.nodeType;
    let inner = ctx;
    if (type === 'identifier') {
      const c = classifyIdentifier(model, cursor, parentType, ctx);
      if (c) encoder.push(cursor.startIndex, cursor.endIndex, c);
      return;
    }
    if (FUNCTION_NODES.has(type)) {
      const info = model.functionInfo(cursor.currentNode, ctx.scope, ctx.cls);
      inner = { scope: info.scope, cls: ctx.cls };
    } else if (CLASS_NODES.has(type)) {
      const nameNode: Node | null = field(cursor.currentNode, 'name');
      const sym = nameNode ? ctx.scope.lookup(nameNode.text) : undefined;
      inner = { scope: ctx.scope, cls: sym?.type.kind === 'py' ? sym.type.cls : undefined };
    }
    if (!cursor.gotoFirstChild()) return;
    do visit(type, inner); while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };
  visit(undefined, { scope: model.declarations.scope, cls: undefined });
  return encoder.data;
}

export async function semanticTokensFor(deps: FeatureDeps, params: SemanticTokensParams): Promise<SemanticTokens> {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string') return { data: [] };
  const analysis = await analyseDocument(deps, uri);
  if (!analysis) return { data: [] };
  const { doc, tree, model } = analysis;
  const cursor = tree.walk();
  try {
    return { data: semanticTokensOf(model, cursor, (o) => doc.textDocument.positionAt(o)) };
  } finally {
    cursor.delete();
  }
}

export const semanticTokensFeature: Feature = {
  id: 'semantic-tokens',
  capabilities: { semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true } },
  register(connection, deps) {
    connection.languages.semanticTokens.on((params) =>
      guarded(deps, 'semanticTokens', { data: [] }, () => semanticTokensFor(deps, params)));
  },
};
