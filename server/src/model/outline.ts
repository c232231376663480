/**
 * The outline of a module (a .pyx, .pxd or .pxi tree): cdef classes with their attributes and methods, functions
 * with their kind (def/cdef/cpdef, nogil, noexcept), structs, unions, enums, ctypedefs, fused types, extern blocks,
 * DEF constants and module-level variables. Syntactic (the tree only), so it also serves files that are not open
 * (workspace symbols). Offsets are the tree's (UTF-16 code units).
 */
import { type Node, childrenOfType, children, field, fields, namedChildren, significantChildren, stringValue,
  undecorate, declaratorName } from './syntax';

export type OutlineKind = 'class' | 'ext-class' | 'cppclass' | 'function' | 'method' | 'property' | 'struct'
  | 'union' | 'enum' | 'enumerator' | 'ctypedef' | 'fused' | 'extern' | 'variable' | 'field' | 'constant'
  | 'module';

export interface OutlineItem {
  name: string;
  kind: OutlineKind;
  /** `cdef double (double x) noexcept nogil`, `ctypedef double`, `extern from "math.h"`... */
  detail: string;
  /** The whole construct. */
  start: number;
  end: number;
  /** The name. */
  nameStart: number;
  nameEnd: number;
  children: OutlineItem[];
}

/** The outline of a tree's top-level statements. */
export function moduleOutline(root: Node): OutlineItem[] {
  const out: OutlineItem[] = [];
  collect(significantChildren(root), out, false, new Set());
  return out;
}

function collect(stmts: readonly Node[], out: OutlineItem[], inClass: boolean, seen: Set<string>): void {
  for (const raw of stmts) {
    const s = undecorate(raw);
    const span = raw.type === 'decorated_definition' ? raw : s;
    switch (s.type) {
      case 'function_definition': case 'c_function_definition': case 'c_function_declaration': {
        const name = field(s, 'name');
        if (name) out.push(item(name.text, inClass ? 'method' : 'function', functionDetail(s), span, name));
        break;
      }
      case 'property_definition': {
        const name = field(s, 'name');
        if (name) out.push(item(name.text, 'property', 'property', span, name));
        break;
      }
      case 'class_definition': case 'cdef_class_definition': case 'cypclass_definition': case 'cppclass_definition': {
        const name = field(s, 'name');
        if (!name) break;
        const kind: OutlineKind = s.type === 'class_definition' ? 'class' : s.type === 'cppclass_definition' ? 'cppclass'
          : 'ext-class';
        const supers = field(s, 'superclasses');
        const detail = `${s.type === 'class_definition' ? 'class' : s.type === 'cppclass_definition' ? 'cppclass'
          : s.type === 'cypclass_definition' ? 'cypclass' : 'cdef class'}${supers ? supers.text : ''}`;
        const it = item(name.text.split('.').pop() ?? name.text, kind, detail, span, name);
        const body = field(s, 'body');
        if (body) collect(significantChildren(body), it.children, true, new Set());
        out.push(it);
        break;
      }
      case 'struct_definition': {
        const name = field(s, 'name');
        if (!name) break;
        const union = children(s).some((c) => c.type === 'union');
        const it = item(name.text, union ? 'union' : 'struct', union ? 'union' : 'struct', span, name);
        const body = field(s, 'body');
        if (body) collect(significantChildren(body), it.children, true, new Set());
        for (const c of it.children) if (c.kind === 'variable') c.kind = 'field';
        out.push(it);
        break;
      }
      case 'enum_definition': {
        const name = field(s, 'name');
        const body = field(s, 'body');
        const members: OutlineItem[] = [];
        for (const e of body ? significantChildren(body) : []) {
          for (const en of e.type === 'enumerator' ? [e] : childrenOfType(e, 'enumerator')) {
            const n = field(en, 'name') ?? namedChildren(en).find((c) => c.type === 'identifier');
            if (n) members.push(item(n.text, 'enumerator', '', en, n));
          }
        }
        if (name) {
          const it = item(name.text, 'enum', /^\s*cpdef\b/.test(s.parent?.text ?? s.text) ? 'cpdef enum' : 'enum', span, name);
          it.children = members;
          out.push(it);
        } else {
          out.push(...members);
        }
        break;
      }
      case 'ctypedef_statement': {
        const inner = significantChildren(s).find((c) => ['struct_definition', 'enum_definition', 'fused_type_definition',
          'cppclass_definition', 'cdef_class_definition'].includes(c.type));
        if (inner) {
          collect([inner], out, inClass, seen);
          break;
        }
        const declarator = field(s, 'declarator');
        const id = declarator ? declaratorName(declarator) : undefined;
        if (id) out.push(item(id.text, 'ctypedef', `ctypedef ${field(s, 'type')?.text ?? ''}`.trim(), span, id));
        break;
      }
      case 'fused_type_definition': {
        const name = field(s, 'name');
        if (name) out.push(item(name.text, 'fused', `fused ${fields(s, 'type').map((t) => t.text).join(', ')}`, span, name));
        break;
      }
      case 'extern_block': {
        const header = field(s, 'header');
        const label = header ? (header.type === 'string' ? `"${stringValue(header)}"` : header.text) : '';
        const it: OutlineItem = { name: `extern from ${label}`.trim(), kind: 'extern',
          detail: childrenOfType(s, 'gil_spec').length || fields(s, 'gil_spec').length ? 'nogil' : '',
          start: s.startIndex, end: s.endIndex, nameStart: s.startIndex, nameEnd: (header ?? s).endIndex, children: [] };
        const body = field(s, 'body');
        if (body) collect(significantChildren(body), it.children, false, new Set());
        out.push(it);
        break;
      }
      case 'cdef_statement': case 'cdef_block': case 'block':
        collect(significantChildren(s), out, inClass, seen);
        break;
      case 'c_variable_declaration': {
        const type = field(s, 'type')?.text ?? 'object';
        const vis = s.childrenForFieldName('visibility').map((v) => v?.text).filter((t) => t).join(' ');
        for (const d of fields(s, 'declarator')) {
          const id = declaratorName(d);
          if (id) out.push(item(id.text, inClass ? 'field' : 'variable', `${vis ? `${vis} ` : ''}${type}`, d, id));
        }
        break;
      }
      case 'compile_time_definition': {
        const name = field(s, 'name');
        if (name) out.push(item(name.text, 'constant', `DEF = ${field(s, 'value')?.text ?? ''}`, span, name));
        break;
      }
      case 'compile_time_if_statement': case 'compile_time_elif_clause': case 'compile_time_else_clause':
        for (const c of significantChildren(s)) {
          if (c.type === 'block') collect(significantChildren(c), out, inClass, seen);
          else if (c.type.startsWith('compile_time_')) collect([c], out, inClass, seen);
        }
        break;
      case 'expression_statement': case 'assignment': {
        if (inClass) break;
        const a = s.type === 'assignment' ? s : namedChildren(s).find((c) => c.type === 'assignment');
        const left = a ? field(a, 'left') : null;
        if (left?.type === 'identifier' && !seen.has(left.text)) {
          seen.add(left.text);
          out.push(item(left.text, /^[A-Z][A-Z0-9_]*$/.test(left.text) ? 'constant' : 'variable', '', a!, left));
        }
        break;
      }
      default:
        break;
    }
  }
}

function item(name: string, kind: OutlineKind, detail: string, span: Node, nameNode: Node): OutlineItem {
  return { name, kind, detail, start: span.startIndex, end: span.endIndex, nameStart: nameNode.startIndex,
    nameEnd: nameNode.endIndex, children: [] };
}


/** `cdef double (double x) noexcept nogil`, `def (a, b)`, `cpdef int (int n) except -1`. */
function functionDetail(fn: Node): string {
  const kindToken = children(fn).find((c) => c.type === 'cdef' || c.type === 'cpdef')?.type;
  const kind = fn.type === 'function_definition' ? (children(fn).some((c) => c.type === 'async') ? 'async def' : 'def')
    : kindToken ?? (fn.parent && isInExtern(fn) ? 'extern' : 'cdef');
  const ret = field(fn, 'return_type')?.text;
  // one line, as written on one: `(\n    a,\n    b,\n)` reads `(a, b)`
  const params = field(fn, 'parameters')?.text.replace(/\s+/g, ' ').replace(/^\( /, '(').replace(/,? \)$/, ')') ?? '()';
  const tail: string[] = [];
  for (const c of children(fn)) {
    if (c.type === 'exception_spec' || c.type === 'noexcept') tail.push(c.text.replace(/\s+/g, ' '));
    else if (c.type === 'gil_spec') tail.push(c.text.replace(/\s+/g, ' '));
  }
  return [kind, ret, params, ...tail].filter((s) => s).join(' ');
}

function isInExtern(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'extern_block') return true;
  return false;
}
