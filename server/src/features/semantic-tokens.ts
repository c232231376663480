/**
 * Semantic tokens (full document): every identifier the model can resolve, typed by the model, so editors colour
 * C-typed names (modifier `cType`) differently from Python objects (modifier `pythonObject`). One pass over the
 * identifiers of the document's current tree with the scope of each function (the shared model; no re-parse);
 * attributes are typed by the model's expression typer. Cached per document version.
 */
import {
  type CancellationToken, LSPErrorCodes, ResponseError, type SemanticTokens, type SemanticTokensLegend,
  type SemanticTokensParams,
} from 'vscode-languageserver';
import { type CType, type ClassInfo, PY_BUILTIN_TYPES, definedClassOf, isKnownC, scalarType } from '../model/c-types';
import type { ModuleModel } from '../model/module-model';
import type { Scope, Symbol } from '../model/symbols';
import type { Node } from '../model/syntax';
import { field } from '../model/syntax';
import { analyseDocument } from './document-analysis';
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

/** The token of one identifier, or undefined. */
function classifyIdentifier(model: ModuleModel, node: Node, ctx: WalkContext): Classified | undefined {
  const parent = node.parent;
  const parentType = parent?.type;
  const isField = (name: string): boolean => parent !== null && field(parent, name)?.id === node.id;
  if (parentType === 'keyword_argument' && isField('name')) return undefined;
  const name = node.text;
  if (parent && parentType === 'attribute' && isField('attribute')) {
    const info = model.typer.info(parent, ctx.scope);
    if (info.symbol) return classifySymbol(info.symbol);
    const modifiers = natureOf(info.type);
    if (modifiers.length === 0) return undefined;
    return { type: info.callee || info.type.kind === 'func' ? 'method' : 'property', modifiers };
  }
  // later parts of a dotted name (`np.float64_t`, `libc.math`) are not names in scope
  if (parentType === 'dotted_name' && node.previousNamedSibling) return undefined;
  const sym = ctx.scope.lookup(name);
  if (!sym) {
    if (parentType === 'c_type' && scalarType(name) && isField('name')) {
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

const SCOPE_OPENERS = [...FUNCTION_NODES, ...CLASS_NODES];

/**
 * The tokens of a whole tree. The identifiers and the functions/classes are fetched with one `descendantsOfType`
 * call each (a JS cursor walk costs a WASM round trip per node), then swept together in document order: each
 * identifier is resolved in the scope of the innermost function around it. `advance` does a slice at a time, so a
 * large document does not hold the server's event loop for the whole sweep.
 */
export class TokenSweep {
  private readonly encoder: TokenEncoder;
  private readonly moduleCtx: WalkContext;
  private readonly openers: Node[];
  private readonly ids: Node[];
  private readonly stack: { end: number; ctx: WalkContext }[] = [];
  private nextOpener = 0;
  private nextId = 0;

  constructor(private readonly model: ModuleModel, root: Node,
    positionAt: (offset: number) => { line: number; character: number }) {
    this.encoder = new TokenEncoder(positionAt);
    this.moduleCtx = { scope: model.declarations.scope, cls: undefined };
    this.openers = root.descendantsOfType(SCOPE_OPENERS).filter((n): n is Node => n !== null);
    this.ids = root.descendantsOfType('identifier').filter((n): n is Node => n !== null);
  }

  get done(): boolean {
    return this.nextId >= this.ids.length;
  }

  get data(): number[] {
    return this.encoder.data;
  }

  /** Classifies up to `count` more identifiers. */
  advance(count = Number.MAX_SAFE_INTEGER): void {
    const stop = Math.min(this.ids.length, this.nextId + count);
    for (; this.nextId < stop; this.nextId++) {
      const id = this.ids[this.nextId];
      const start = id.startIndex;
      while (this.nextOpener < this.openers.length && this.openers[this.nextOpener].startIndex <= start) {
        this.open(this.openers[this.nextOpener++]);
      }
      this.closeBefore(start);
      const c = classifyIdentifier(this.model, id, this.current());
      if (c) this.encoder.push(start, id.endIndex, c);
    }
  }

  private current(): WalkContext {
    return this.stack[this.stack.length - 1]?.ctx ?? this.moduleCtx;
  }

  private closeBefore(offset: number): void {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].end <= offset) this.stack.pop();
  }

  private open(opener: Node): void {
    this.closeBefore(opener.startIndex);
    const outer = this.current();
    let inner: WalkContext;
    if (FUNCTION_NODES.has(opener.type)) {
      inner = { scope: this.model.functionInfo(opener, outer.scope, outer.cls).scope, cls: outer.cls };
    } else {
      const nameNode = field(opener, 'name');
      const sym = nameNode ? outer.scope.lookup(nameNode.text) : undefined;
      inner = { scope: outer.scope, cls: definedClassOf(sym?.type) };
    }
    this.stack.push({ end: opener.endIndex, ctx: inner });
  }
}

/** All tokens of a tree at once (tests, the CLI). */
export function semanticTokensOf(model: ModuleModel, root: Node,
  positionAt: (offset: number) => { line: number; character: number }): number[] {
  const sweep = new TokenSweep(model, root, positionAt);
  sweep.advance();
  return sweep.data;
}

/** Identifiers classified between two yields to the event loop (~10-20 ms on this machine). */
export const SLICE = 2000;

/** Tokens per model (one model per document version): repeated requests for a version cost nothing. */
const tokenCache = new WeakMap<ModuleModel, number[]>();

/** Thrown when the document changed (or the request was cancelled) mid-sweep: the client asks again. */
export class DocumentChangedError extends Error {}

export async function semanticTokensFor(deps: FeatureDeps, params: SemanticTokensParams,
  token?: CancellationToken): Promise<SemanticTokens> {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string') return { data: [] };
  const analysis = await analyseDocument(deps, uri);
  if (!analysis) return { data: [] };
  const { doc, tree, model } = analysis;
  const cached = tokenCache.get(model);
  if (cached) return { data: cached };
  const sweep = new TokenSweep(model, tree.rootNode, (o) => doc.textDocument.positionAt(o));
  for (;;) {
    sweep.advance(SLICE);
    if (sweep.done) break;
    await new Promise((resolve) => setImmediate(resolve));
    // after a yield the tree may have been replaced (and deleted): never touch it again then
    if (token?.isCancellationRequested || deps.document(uri)?.tree !== tree) throw new DocumentChangedError(uri);
  }
  tokenCache.set(model, sweep.data);
  return { data: sweep.data };
}

export const semanticTokensFeature: Feature = {
  id: 'semantic-tokens',
  capabilities: { semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true } },
  register(connection, deps) {
    connection.languages.semanticTokens.on(async (params, token) => {
      try {
        return await semanticTokensFor(deps, params, token);
      } catch (err) {
        // the client keeps its tokens and asks again for the new version
        if (err instanceof DocumentChangedError) throw new ResponseError(LSPErrorCodes.ContentModified, 'document changed');
        deps.log(`[error] semanticTokens: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return { data: [] };
      }
    });
  },
};
