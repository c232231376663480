/**
 * What a name at a position denotes, for navigation (definition, declaration, implementation, references,
 * highlights, rename): the same semantic model the checks use (scopes, cimports resolved through .pxd files,
 * includes), plus a syntactic search of the declaring file for what the model keeps without a location (struct
 * fields, class attributes, `def` methods, parameters of C functions).
 *
 * A target's `key` identifies the declaration: two positions denote the same thing when their keys are equal (the
 * references search compares keys). No LSP types here: locations are the model's `DeclLocation`s.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClassInfo, CType, DeclLocation } from '../model/c-types';
import { contextAt, type PositionContext } from '../model/document-model';
import type { ModuleModel } from '../model/module-model';
import { type PxdResolver, uriToPath } from '../model/pxd-resolver';
import type { Scope, Symbol } from '../model/symbols';
import { type Node, declaratorName as nameOfDeclarator, field, namedChildren, significantChildren, stringValue, undecorate } from '../model/syntax';
import type { SourceFile, SourceFiles } from '../model/source-files';

export interface NavTarget {
  /** The declared name (an alias resolves to the name it aliases). */
  name: string;
  /** Identity of the declaration (equal keys: the same thing). */
  key: string;
  /** Where the compiler sees it declared: the .pxd for what a .pxd declares; the name's range when known. */
  declaration: DeclLocation | undefined;
  /** Definitions with a body (the .pyx implementation of a function or class declared in a .pxd). */
  implementations: DeclLocation[];
  /** A module or include file (`cimport a.b`, `include "f.pxi"`): the target is the file itself. */
  file?: string;
  /** The symbol, when the model has one. */
  symbol?: Symbol;
  /** A function-local name: its references are all in this range of the document. */
  local?: { uri: string; start: number; end: number };
  /** The name at the position differs from the declared one (`from m cimport f as g`: at a use of g). */
  alias?: string;
}

/** What resolution needs: the document's model and tree, the files it may read, the .pxd resolver. */
export interface NavContext {
  uri: string;
  model: ModuleModel;
  root: Node;
  files: SourceFiles;
  resolver: PxdResolver;
  /** Only the key is needed (the references search): skip locating names and implementations. */
  keyOnly?: boolean;
}

const CLASS_TYPES = new Set(['cdef_class_definition', 'cypclass_definition', 'class_definition',
  'cppclass_definition']);
const FUNCTION_TYPES = new Set(['function_definition', 'c_function_definition', 'c_function_declaration']);

export function keyOf(loc: DeclLocation): string {
  return `${loc.uri}#${loc.line}:${loc.character}`;
}

/** The identifier (or include path string) at an offset, if any. */
export function navigableNodeAt(root: Node, offset: number): Node | undefined {
  for (const at of [offset, offset - 1]) {
    if (at < 0) continue;
    const node = root.descendantForIndex(at, at);
    if (!node) continue;
    if (node.type === 'identifier') return node;
    const str = node.type === 'string' ? node : node.parent?.type === 'string' ? node.parent : undefined;
    if (str?.parent?.type === 'include_statement') return str;
  }
  return undefined;
}

/** Resolves the name (or include path) at `node`. */
export function resolveTarget(ctx: NavContext, node: Node): NavTarget | undefined {
  if (node.type === 'string') return includeTarget(ctx, node);
  const cimport = cimportTarget(ctx, node);
  if (cimport !== undefined) return cimport ?? undefined;
  const member = memberDeclarationTarget(ctx, node);
  if (member) return member;
  const parent = node.parent;
  if (parent?.type === 'attribute' && field(parent, 'attribute')?.id === node.id) return attributeTarget(ctx, parent, node);
  if (parent?.type === 'dotted_name' && parent.parent?.type === 'c_type') return dottedTypeTarget(ctx, parent, node);
  if (parent?.type === 'keyword_argument' && field(parent, 'name')?.id === node.id) return undefined;
  const pos = scopeAt(ctx, node);
  const sym = pos.scope.lookup(node.text);
  if (!sym) return undefined;
  return symbolTarget(ctx, node.text, sym, node);
}

/** `include "f.pxi"`: the file. */
function includeTarget(ctx: NavContext, str: Node): NavTarget | undefined {
  const file = ctx.resolver.locateInclude(stringValue(str), ctx.uri);
  return file ? fileTarget(file, path.basename(file)) : undefined;
}

function fileTarget(file: string, name: string): NavTarget {
  const uri = pathToFileURL(file).toString();
  const loc = { uri, line: 0, character: 0, endLine: 0, endCharacter: 0 };
  return { name, key: `file:${uri}`, declaration: loc, implementations: [], file: uri };
}

/**
 * Names in `cimport a.b as c` / `from a.b cimport x as y`: a module segment jumps to the module's .pxd, an imported
 * name to its declaration. null: in a cimport but nothing to go to; undefined: not in a cimport.
 */
function cimportTarget(ctx: NavContext, id: Node): NavTarget | null | undefined {
  let statement: Node | null = id.parent;
  while (statement && (statement.type === 'dotted_name' || statement.type === 'aliased_import'
    || statement.type === 'relative_import')) statement = statement.parent;
  if (statement?.type !== 'cimport_statement' && statement?.type !== 'cimport_from_statement') return undefined;
  const dotted = id.parent?.type === 'dotted_name' ? id.parent : undefined;
  const aliased = [id.parent, id.parent?.parent].find((n) => n?.type === 'aliased_import') ?? undefined;
  if (statement.type === 'cimport_statement') {
    if (aliased && field(aliased, 'alias')?.id === id.id) {
      const sym = ctx.model.declarations.scope.lookupLocal(id.text);
      return sym ? symbolTarget(ctx, id.text, sym, id) : null;
    }
    const module = modulePrefix(dotted, id);
    const file = ctx.resolver.locate(module, 0, ctx.uri);
    return file ? fileTarget(file, module) : null;
  }
  const moduleNode = field(statement, 'module_name');
  if (moduleNode && id.startIndex >= moduleNode.startIndex && id.endIndex <= moduleNode.endIndex) {
    const text = moduleNode.text.replace(/\s+/g, '');
    const level = /^\.*/.exec(text)![0].length;
    const prefix = modulePrefix(dotted, id);
    const file = ctx.resolver.locate(prefix, level, ctx.uri);
    return file ? fileTarget(file, prefix) : null;
  }
  // an imported name or its alias: the symbol bound in the module scope
  const bound = aliased ? field(aliased, 'alias')?.text : id.text;
  const sym = bound ? ctx.model.declarations.scope.lookupLocal(bound) : undefined;
  if (!sym || sym.kind === 'unresolved') return null;
  // the imported name (`f` of `f as g`) is no alias; the alias is
  return symbolTarget(ctx, id.text, sym, id);
}

/** The dotted module name up to and including `id` (`a.b` for the `b` of `a.b.c`). */
function modulePrefix(dotted: Node | undefined, id: Node): string {
  if (!dotted) return id.text;
  const parts: string[] = [];
  for (const c of namedChildren(dotted)) {
    if (c.type !== 'identifier') continue;
    parts.push(c.text);
    if (c.id === id.id) break;
  }
  return parts.join('.');
}

/** `cnp.float64_t` in a type: the segment's symbol. */
function dottedTypeTarget(ctx: NavContext, dotted: Node, id: Node): NavTarget | undefined {
  const parts = modulePrefix(dotted, id).split('.');
  const pos = scopeAt(ctx, id);
  let sym = pos.scope.lookup(parts[0]!);
  for (let i = 1; i < parts.length && sym; i++) sym = sym.module?.symbols.get(parts[i]!);
  return sym ? symbolTarget(ctx, id.text, sym, id) : undefined;
}

/** `obj.attr`: a module's member, a struct field, a class attribute or method. */
function attributeTarget(ctx: NavContext, attr: Node, id: Node): NavTarget | undefined {
  const pos = scopeAt(ctx, attr);
  const obj = field(attr, 'object');
  if (!obj) return undefined;
  const objInfo = ctx.model.typer.info(obj, pos.scope);
  const objSym = objInfo.symbol;
  if (objSym && (objSym.kind === 'cimported-module' || objSym.kind === 'cython-builtin')) {
    const member = objSym.module?.symbols.get(id.text);
    return member ? symbolTarget(ctx, id.text, member, id) : undefined;
  }
  if (objSym?.kind === 'ext-class' && objSym.type.kind === 'py' && objSym.type.cls) {
    return memberTarget(ctx, objSym.type.cls, id.text);
  }
  return memberOfType(ctx, objInfo.type, id.text);
}

function memberOfType(ctx: NavContext, type: CType, name: string): NavTarget | undefined {
  let t = type;
  while (t.kind === 'ptr' || t.kind === 'ref' || t.kind === 'array') t = t.base;
  if (t.kind === 'struct') {
    const loc = t.info.location;
    if (!loc || !t.info.fields.has(name)) return undefined;
    const file = ctx.files.get(loc.uri);
    const container = file ? containerAt(file, loc) : undefined;
    const decl = file && container ? fieldIn(file, container, name) : undefined;
    return decl ? { name, key: keyOf(decl), declaration: decl, implementations: [] } : undefined;
  }
  if ((t.kind === 'py' || t.kind === 'cpp') && t.cls) return memberTarget(ctx, t.cls, name);
  return undefined;
}

/** A member of a class, searched in the class's declaring file, its .pyx, then its bases. */
export function memberTarget(ctx: NavContext, cls: ClassInfo, name: string, depth = 0): NavTarget | undefined {
  if (depth > 16) return undefined;
  const sig = cls.methods.get(name);
  const sites = classSites(ctx, cls);
  let declaration: DeclLocation | undefined;
  const implementations: DeclLocation[] = [];
  for (const { file, node } of sites) {
    const found = memberIn(file, node, name);
    if (!found) continue;
    if (!declaration) declaration = found.loc;
    if (found.hasBody) implementations.push(found.loc);
  }
  if (!declaration && sig?.location && sig.location.uri.startsWith('file:')) declaration = sig.location;
  if (declaration) {
    return { name, key: keyOf(declaration), declaration, implementations: implementations.filter((l) => keyOf(l)
      !== keyOf(declaration!) || implementations.length === 1) };
  }
  // inherited
  if (!cls.base || (!cls.attributes.has(name) && !cls.methods.has(name))) return undefined;
  const base = baseClass(ctx, cls);
  return base && base !== cls ? memberTarget(ctx, base, name, depth + 1) : undefined;
}

/** The class's declaration (its .pxd, or the .pyx) and, for a .pxd, its definition in the companion .pyx. */
function classSites(ctx: NavContext, cls: ClassInfo): { file: SourceFile; node: Node }[] {
  const loc = cls.location;
  if (!loc) return [];
  const out: { file: SourceFile; node: Node }[] = [];
  const file = ctx.files.get(loc.uri);
  const node = file ? containerAt(file, loc) : undefined;
  if (file && node) out.push({ file, node });
  const p = uriToPath(loc.uri);
  if (p?.endsWith('.pxd')) {
    const pyx = ctx.files.getPath(`${p.slice(0, -4)}.pyx`);
    const def = pyx ? findClass(pyx.tree.rootNode, cls.name) : undefined;
    if (pyx && def) out.push({ file: pyx, node: def });
  }
  return out;
}

function baseClass(ctx: NavContext, cls: ClassInfo): ClassInfo | undefined {
  if (!cls.base) return undefined;
  const scope = scopeOfFile(ctx, cls.location?.uri);
  const parts = cls.base.split('.');
  let sym = scope?.lookup(parts[0]!);
  for (let i = 1; i < parts.length && sym; i++) sym = sym.module?.symbols.get(parts[i]!);
  return sym?.type.kind === 'py' || sym?.type.kind === 'cpp' ? sym.type.cls : undefined;
}

function scopeOfFile(ctx: NavContext, uri: string | undefined): Scope | undefined {
  if (!uri) return undefined;
  if (uri === ctx.uri) return ctx.model.declarations.scope;
  const p = uriToPath(uri);
  if (p?.endsWith('.pxd')) {
    if (ctx.uri.endsWith('.pyx') && uriToPath(ctx.uri)?.slice(0, -4) === p.slice(0, -4)) {
      return ctx.model.declarations.scope;
    }
    return ctx.resolver.load(p)?.scope;
  }
  return undefined;
}

/** The declaration node (struct, class, function) whose name is at `loc`. */
function containerAt(file: SourceFile, loc: DeclLocation): Node | undefined {
  const offset = file.lines.offsetAt({ line: loc.line, character: loc.character });
  for (let n: Node | null = file.tree.rootNode.descendantForIndex(offset, offset); n; n = n.parent) {
    if (n.type === 'struct_definition' || CLASS_TYPES.has(n.type)) return n;
  }
  return undefined;
}

function findClass(root: Node, name: string): Node | undefined {
  let found: Node | undefined;
  const visit = (stmts: readonly Node[]): void => {
    for (const raw of stmts) {
      if (found) return;
      const s = undecorate(raw);
      if (CLASS_TYPES.has(s.type) && field(s, 'name')?.text.split('.').pop() === name) found = s;
      else if (['cdef_statement', 'cdef_block', 'block', 'extern_block', 'ctypedef_statement'].includes(s.type)) {
        visit(significantChildren(s));
      }
    }
  };
  visit(significantChildren(root));
  return found;
}

function bodyMembers(container: Node): Node[] {
  const body = field(container, 'body');
  if (!body) return [];
  const out: Node[] = [];
  const visit = (stmts: readonly Node[]): void => {
    for (const raw of stmts) {
      const s = undecorate(raw);
      if (s.type === 'cdef_statement' || s.type === 'cdef_block' || s.type === 'block') visit(significantChildren(s));
      else out.push(s);
    }
  };
  visit(significantChildren(body));
  return out;
}

/** The name of a field declared in a struct body. */
function fieldIn(file: SourceFile, container: Node, name: string): DeclLocation | undefined {
  for (const m of bodyMembers(container)) {
    const id = m.type === 'c_variable_declaration' ? declaratorName(m, name) : undefined;
    if (id) return locOf(file.uri, id);
  }
  return undefined;
}

/** A member of a class body: attribute declarator, method, property. */
function memberIn(file: SourceFile, container: Node, name: string): { loc: DeclLocation; hasBody: boolean } | undefined {
  for (const m of bodyMembers(container)) {
    if (m.type === 'c_variable_declaration') {
      const id = declaratorName(m, name);
      if (id) return { loc: locOf(file.uri, id), hasBody: false };
    } else if (FUNCTION_TYPES.has(m.type) || m.type === 'property_definition') {
      const id = field(m, 'name');
      if (id?.text === name) return { loc: locOf(file.uri, id), hasBody: m.type !== 'c_function_declaration' };
    }
  }
  return undefined;
}

/** The identifier named `name` among the declarators of a variable declaration. */
function declaratorName(decl: Node, name: string): Node | undefined {
  for (const d of namedChildren(decl)) {
    if (d.type !== 'c_declarator') continue;
    const id = nameOfDeclarator(d);
    if (id?.text === name) return id;
  }
  return undefined;
}


export function locOf(uri: string, node: Node): DeclLocation {
  return { uri, line: node.startPosition.row, character: node.startPosition.column, endLine: node.endPosition.row,
    endCharacter: node.endPosition.column };
}

/**
 * An identifier that declares a member where it stands (a method's name in a class body, an attribute's or a struct
 * field's declarator): its target is the member.
 */
function memberDeclarationTarget(ctx: NavContext, id: Node): NavTarget | undefined {
  const parent = id.parent;
  if (!parent) return undefined;
  let container: Node | null = null;
  if ((FUNCTION_TYPES.has(parent.type) || parent.type === 'property_definition') && field(parent, 'name')?.id === id.id) {
    container = enclosingContainer(parent);
  } else if (parent.type === 'c_declarator' || parent.type === 'function_pointer_declarator'
    || parent.type === 'parenthesized_declarator') {
    const decl = [parent.parent, parent.parent?.parent].find((n) => n?.type === 'c_variable_declaration');
    if (decl && nameOfDeclarator(parent.type === 'c_declarator' ? parent : parent.parent!)?.id === id.id) {
      container = enclosingContainer(decl);
    }
  }
  if (!container) return undefined;
  const nameNode = field(container, 'name');
  const name = nameNode?.text.split('.').pop();
  if (!name) return undefined;
  if (container.type === 'struct_definition') {
    const sym = ctx.model.declarations.scope.lookup(name);
    if (sym?.type.kind === 'struct') return memberOfType(ctx, sym.type, id.text);
    const here = { name: id.text, key: keyOf(locOf(ctx.uri, id)), declaration: locOf(ctx.uri, id), implementations: [] };
    return here;
  }
  const sym = ctx.model.declarations.scope.lookup(name);
  const cls = sym && (sym.type.kind === 'py' || sym.type.kind === 'cpp') ? sym.type.cls : undefined;
  if (cls && (cls.attributes.has(id.text) || cls.methods.has(id.text))) {
    const t = memberTarget(ctx, cls, id.text);
    if (t) return t;
  }
  // a member the model does not keep (a Python class's method): the declaration here
  const loc = locOf(ctx.uri, id);
  return { name: id.text, key: keyOf(loc), declaration: loc, implementations: [] };
}

/** The class or struct whose body directly holds `member`. */
function enclosingContainer(member: Node): Node | null {
  for (let n = member.parent; n; n = n.parent) {
    if (n.type === 'struct_definition' || CLASS_TYPES.has(n.type)) return n;
    if (FUNCTION_TYPES.has(n.type) || n.type === 'module' || n.type === 'extern_block') return null;
  }
  return null;
}

/** The scope that sees `node` (a function's own scope for names in its header). */
export function scopeAt(ctx: NavContext, node: Node): PositionContext {
  const c = contextAt(ctx.model, ctx.root, node.startIndex);
  const name = node.type === 'identifier' ? node.text : undefined;
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'c_function_definition' || n.type === 'lambda') {
      const body = field(n, 'body');
      if (body && node.startIndex < body.startIndex) {
        const inner = contextAt(ctx.model, ctx.root, body.startIndex);
        if (name === undefined || inner.scope.lookup(name)) return inner;
      }
      break;
    }
  }
  return c;
}

/** The target of a symbol the model resolved (at `id` in the current document). */
export function symbolTarget(ctx: NavContext, name: string, sym: Symbol, id: Node): NavTarget | undefined {
  if (sym.kind === 'builtin') return undefined;
  if (sym.kind === 'cimported-module' && sym.module?.uri) {
    const file = uriToPath(sym.module.uri);
    const t = file ? fileTarget(file, sym.module.name || name) : undefined;
    // the alias itself (`cimport numpy as cnp`): its references are those of the alias, in this module
    if (t && sym.location) return { ...t, name: sym.name, key: keyOf(sym.location), symbol: sym };
    return t;
  }
  let loc = sym.location;
  let local: NavTarget['local'];
  if (sym.binding === 'local' || sym.binding === 'argument' || sym.binding === 'closure') {
    const fn = enclosingFunction(id);
    if (!loc && fn) {
      const p = parameterNamed(fn, sym.name);
      if (p) loc = locOf(ctx.uri, p);
    }
    if (fn && loc?.uri === ctx.uri) local = { uri: ctx.uri, start: fn.startIndex, end: fn.endIndex };
  }
  if (!loc) return undefined;
  if (ctx.keyOnly) return { name: sym.name, key: keyOf(loc), declaration: loc, implementations: [], symbol: sym };
  const declaration = nameRange(ctx, loc, sym.name);
  // the name as declared (`from m cimport f as g` binds a symbol named g to f's declaration)
  const declared = textOf(ctx, declaration) ?? sym.name;
  const implementations = sym.binding === 'module' ? moduleImplementations(ctx, declared, sym, declaration) : [];
  const key = keyOf(loc);
  const out: NavTarget = { name: declared, key, declaration, implementations, symbol: sym };
  if (local) out.local = local;
  if (name !== declared) out.alias = name;
  return out;
}

function enclosingFunction(node: Node): Node | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'c_function_definition' || n.type === 'lambda') return n;
  }
  return undefined;
}

function parameterNamed(fn: Node, name: string): Node | undefined {
  const params = field(fn, 'parameters');
  if (!params) return undefined;
  const stack: Node[] = [...namedChildren(params)];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.type === 'identifier' && n.text === name) {
      // not a type name: the declarator's or the parameter's own name
      if (n.parent?.type !== 'c_type' && n.parent?.type !== 'dotted_name') return n;
    }
    if (n.type === 'default' || n.parent?.type === 'default_parameter' && field(n.parent, 'value')?.id === n.id) continue;
    stack.push(...namedChildren(n).filter((c) => !(n.type === 'c_parameter' && field(n, 'default')?.id === c.id)));
  }
  return undefined;
}

/** Narrows a declaration's location to its name (locations may cover a whole declarator or statement). */
function nameRange(ctx: NavContext, loc: DeclLocation, name: string): DeclLocation {
  if (loc.line === loc.endLine && loc.endCharacter - loc.character === name.length) return loc;
  const file = ctx.files.get(loc.uri);
  if (!file) return loc;
  const start = file.lines.offsetAt({ line: loc.line, character: loc.character });
  const end = Math.max(start + 1, file.lines.offsetAt({ line: loc.endLine, character: loc.endCharacter }));
  const node = file.tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
  const found = firstIdentifier(node, name, start, end);
  return found ? locOf(loc.uri, found) : loc;
}

/** The identifier at a one-line location, if that is what it covers. */
function textOf(ctx: NavContext, loc: DeclLocation): string | undefined {
  if (loc.line !== loc.endLine) return undefined;
  const file = ctx.files.get(loc.uri);
  if (!file) return undefined;
  const start = file.lines.offsetAt({ line: loc.line, character: loc.character });
  const text = file.text.slice(start, start + loc.endCharacter - loc.character);
  return /^[A-Za-z_]\w*$/.test(text) ? text : undefined;
}

function firstIdentifier(node: Node | null, name: string, start: number, end: number): Node | undefined {
  if (!node) return undefined;
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.endIndex <= start || n.startIndex >= end) continue;
    if (n.type === 'identifier' && n.text === name) return n;
    stack.unshift(...namedChildren(n));
  }
  return undefined;
}

/**
 * Where a module-level name declared in a .pxd is defined with its body: the companion .pyx (the current document
 * when it is that .pyx, else read from disk).
 */
function moduleImplementations(ctx: NavContext, name: string, sym: Symbol, declaration: DeclLocation): DeclLocation[] {
  if (sym.kind !== 'c-function' && sym.kind !== 'ext-class' && sym.kind !== 'py-function' && sym.kind !== 'py-class') {
    return [];
  }
  const p = uriToPath(declaration.uri);
  const candidates: SourceFile[] = [];
  if (p?.endsWith('.pxd')) {
    const pyx = `${p.slice(0, -4)}.pyx`;
    const file = ctx.files.getPath(pyx);
    if (file) candidates.push(file);
  } else {
    const file = ctx.files.get(declaration.uri);
    if (file) candidates.push(file);
  }
  const out: DeclLocation[] = [];
  for (const file of candidates) {
    const def = findDefinition(file.tree.rootNode, name);
    if (def) out.push(locOf(file.uri, def));
  }
  return out;
}

/** A module-level definition with a body (function or class) named `name`: its name node. */
function findDefinition(root: Node, name: string): Node | undefined {
  let found: Node | undefined;
  const visit = (stmts: readonly Node[]): void => {
    for (const raw of stmts) {
      if (found) return;
      const s = undecorate(raw);
      if ((s.type === 'c_function_definition' || s.type === 'function_definition' || CLASS_TYPES.has(s.type))
        && field(s, 'name')?.text.split('.').pop() === name && (s.type !== 'cdef_class_definition' || field(s, 'body'))) {
        found = field(s, 'name') ?? undefined;
      } else if (s.type === 'cdef_statement' || s.type === 'cdef_block' || s.type === 'block'
        || s.type.startsWith('compile_time_')) {
        visit(significantChildren(s));
      }
    }
  };
  visit(significantChildren(root));
  return found;
}

/** True when a file exists (for targets outside the workspace we only report what exists). */
export function fileExists(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
