/**
 * Where the parts of a cdef function's signature are, and the text edits that add `noexcept` / `nogil` or an
 * exception value in the canonical order: `RET name(params) [except ...|noexcept] [nogil]`. A def made a C function
 * by `@cython.cfunc` / `@cython.ccall` (pure Python mode) is edited in its own spelling: `@cython.nogil`,
 * `@cython.exceptval(check=False)` (noexcept; `@cython.noexcept` is not a directive) and `@cython.exceptval(-1)`
 * (`except? -1`), through the name the file gives the cython module.
 */
import type { TextEdit } from 'vscode-languageserver';
import { type Node, children, field, namedChildren, significantChildren, undecorate } from '../model/syntax';
import { exceptionClauseOffset, signatureEndOffset } from '../model/function-header';
import type { SourceFile } from '../model/source-files';
import { cythonDecorator, isPureModeCFunction } from '../model/cython-names';

export const FUNCTION_NODES = new Set(['c_function_definition', 'c_function_declaration']);
const CLASS_NODES = new Set(['cdef_class_definition', 'cypclass_definition']);

/** The innermost function definition or declaration around `node` (or `node` itself). */
export function enclosingFunction(node: Node | null): Node | undefined {
  for (let n = node; n; n = n.parent) {
    if (FUNCTION_NODES.has(n.type)) return n;
    // Function-level diagnostics of decorated definitions sit on the first decorator (as the compiler reports them).
    if (n.type === 'decorated_definition') {
      const def = n.namedChildren.find((c) => c !== null && (FUNCTION_NODES.has(c.type)
        || (c.type === 'function_definition' && isPureModeCFunction(n))));
      if (def) return def;
    }
  }
  return undefined;
}

/** The cdef class a function belongs to, by name. */
export function classOf(fn: Node): string | undefined {
  for (let n = fn.parent; n; n = n.parent) {
    if (CLASS_NODES.has(n.type)) return field(n, 'name')?.text;
    if (n.type === 'extern_block' || FUNCTION_NODES.has(n.type) || n.type === 'function_definition') return undefined;
  }
  return undefined;
}

/** Declared inside `cdef extern from ...`: not the user's function to edit. */
export function isExtern(fn: Node): boolean {
  for (let n = fn.parent; n; n = n.parent) if (n.type === 'extern_block') return true;
  return false;
}

/** The module-level (or, with `cls`, method-level) cdef function named `name` in a tree. */
export function findFunction(root: Node, name: string, cls: string | undefined): Node | undefined {
  let found: Node | undefined;
  const visit = (stmts: readonly Node[], inClass: string | undefined): void => {
    for (const raw of stmts) {
      if (found) return;
      const s = undecorate(raw);
      if (FUNCTION_NODES.has(s.type)) {
        if (inClass === cls && field(s, 'name')?.text === name) found = s;
      } else if (CLASS_NODES.has(s.type)) {
        const body = field(s, 'body');
        if (body && cls !== undefined && field(s, 'name')?.text === cls) visit(significantChildren(body), cls);
      } else if (s.type === 'cdef_statement' || s.type === 'cdef_block' || s.type === 'block') {
        visit(significantChildren(s), inClass);
      }
    }
  };
  visit(significantChildren(root), undefined);
  return found;
}

export function gilSpecs(fn: Node): Node[] {
  return children(fn).filter((c) => c.type === 'gil_spec');
}

/** A pure-mode C function (a def under `@cython.cfunc` / `@cython.ccall`). */
export function isPureDef(fn: Node): boolean {
  return fn.type === 'function_definition' && fn.parent !== null && isPureModeCFunction(fn.parent);
}

/** The cython decorators of a pure-mode def, with their names (`nogil`, `exceptval`...). */
function cythonDecorators(fn: Node): { node: Node; name: string; args: string }[] {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  return (holder?.namedChildren ?? []).filter((d): d is Node => d?.type === 'decorator')
    .flatMap((d) => { const c = cythonDecorator(d); return c ? [{ node: d, ...c }] : []; });
}

export function hasNogil(fn: Node): boolean {
  if (isPureDef(fn)) return cythonDecorators(fn).some((d) => d.name === 'nogil' && d.args.trim() !== 'False');
  return gilSpecs(fn).some((g) => g.text.trim() === 'nogil');
}

export function hasWithGil(fn: Node): boolean {
  if (isPureDef(fn)) return cythonDecorators(fn).some((d) => d.name === 'with_gil');
  return gilSpecs(fn).some((g) => /^with\s+gil$/.test(g.text.trim()));
}

export function exceptionSpecNode(fn: Node): Node | undefined {
  return children(fn).find((c) => c.type === 'exception_spec');
}

export function noexceptNode(fn: Node): Node | undefined {
  return children(fn).find((c) => c.type === 'noexcept');
}

export interface SpecChange {
  /** Add `noexcept` (replacing an `except *`). */
  noexcept?: boolean;
  /** Add `nogil` at the end. */
  nogil?: boolean;
  /** Set this exception clause (`except? -1`), replacing `except *`. */
  exceptionClause?: string;
}

/** The edits that apply `change` to the signature of `fn` in `file`; empty when nothing needs to change. */
export function specEdits(file: SourceFile, fn: Node, change: SpecChange): TextEdit[] {
  if (isPureDef(fn)) return pureSpecEdits(file, fn, change);
  const edits: TextEdit[] = [];
  const at = (start: number, end: number, newText: string): TextEdit => ({
    range: { start: file.lines.positionAt(start), end: file.lines.positionAt(end) }, newText,
  });
  const clause = change.exceptionClause ?? (change.noexcept ? 'noexcept' : undefined);
  const existing = exceptionSpecNode(fn);
  let insertClause: string | undefined;
  if (clause && !(change.noexcept && noexceptNode(fn))) {
    if (existing) edits.push(at(existing.startIndex, existing.endIndex, clause));
    else insertClause = clause;
  }
  const addNogil = change.nogil === true && !hasNogil(fn) && !hasWithGil(fn);
  const clauseAt = exceptionClauseOffset(fn);
  const endAt = signatureEndOffset(fn);
  if (insertClause && addNogil && clauseAt === endAt) {
    edits.push(at(clauseAt, clauseAt, ` ${insertClause} nogil`));
  } else {
    if (insertClause) edits.push(at(clauseAt, clauseAt, ` ${insertClause}`));
    if (addNogil) edits.push(at(endAt, endAt, ' nogil'));
  }
  return edits;
}

/**
 * `change` in pure Python spelling: decorators added on their own lines just above the `def` (after the others), an
 * existing `@cython.exceptval(...)` replaced; `except? V` is `exceptval(V)`, `except V` is `exceptval(V,
 * check=False)`, `noexcept` is `exceptval(check=False)` (ParseTreeTransforms: exceptval's check defaults to True).
 */
function pureSpecEdits(file: SourceFile, fn: Node, change: SpecChange): TextEdit[] {
  const decorators = cythonDecorators(fn);
  // the module's name as this def's decorators spell it (`@cy.cfunc` → `cy`); `cython` otherwise
  const kind = decorators.find((d) => d.name === 'cfunc' || d.name === 'ccall');
  const prefix = /^@\s*(\w+)\s*\./.exec(kind?.node.text ?? '')?.[1] ?? 'cython';
  const pos = (o: number) => file.lines.positionAt(o);
  const lineStart = file.text.lastIndexOf('\n', fn.startIndex - 1) + 1;
  const indent = file.text.slice(lineStart, fn.startIndex);
  const lines: string[] = [];
  const edits: TextEdit[] = [];
  let exceptval: string | undefined;
  if (change.exceptionClause) {
    const m = /^except\s*(\?)?\s*(.+)$/.exec(change.exceptionClause.trim());
    if (m && m[2] !== '*') exceptval = m[1] ? `exceptval(${m[2]})` : `exceptval(${m[2]}, check=False)`;
  } else if (change.noexcept) {
    exceptval = 'exceptval(check=False)';
  }
  if (exceptval) {
    const existing = decorators.find((d) => d.name === 'exceptval');
    if (existing) {
      edits.push({ range: { start: pos(existing.node.startIndex), end: pos(existing.node.endIndex) },
        newText: `@${prefix}.${exceptval}` });
    } else {
      lines.push(`@${prefix}.${exceptval}`);
    }
  }
  if (change.nogil && !hasNogil(fn) && !hasWithGil(fn)) {
    const off = decorators.find((d) => d.name === 'nogil');  // `@cython.nogil(False)`
    if (off) edits.push({ range: { start: pos(off.node.startIndex), end: pos(off.node.endIndex) }, newText: `@${prefix}.nogil` });
    else lines.unshift(`@${prefix}.nogil`);
  }
  if (lines.length) {
    edits.push({ range: { start: pos(fn.startIndex), end: pos(fn.startIndex) },
      newText: lines.map((l) => `${l}\n${indent}`).join('') });
  }
  return edits;
}

/** The statements of a function body (empty for declarations). */
export function bodyStatements(fn: Node): Node[] {
  const body = field(fn, 'body');
  return body ? namedChildren(body).filter((c) => c.type !== 'comment') : [];
}
