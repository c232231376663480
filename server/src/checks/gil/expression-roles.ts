/** Where an expression sits decides what the compiler does with it: helpers shared by the GIL rules. */
import { type CType, isKnownC } from '../../model/c-types';
import type { ExprInfo } from '../../model/expression-types';
import { calleeSignature } from '../../model/expression-types';
import { type Node, field } from '../../model/syntax';

/** Is this identifier read as a value (not a binding, a keyword name, an attribute name...)? */
export function isNameRead(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const is = (f: string): boolean => field(parent, f)?.id === node.id;
  switch (parent.type) {
    case 'attribute': return !is('attribute');
    case 'keyword_argument': return !is('name');
    case 'assignment': return !isWithin(node, field(parent, 'left'));
    case 'augmented_assignment': return true;
    case 'for_statement': return !is('left');
    case 'for_in_clause': return !is('left');
    case 'function_definition': case 'class_definition': case 'c_function_definition': case 'cdef_class_definition':
      return false;
    case 'parameters': case 'lambda_parameters': case 'default_parameter': case 'typed_parameter':
    case 'typed_default_parameter': case 'c_parameter': case 'c_parameters':
      return is('value') || is('default');
    case 'except_clause': return !isAlias(node);
    case 'c_declarator': return is('value');
    case 'for_from_statement': return !is('target');
    case 'global_statement': case 'nonlocal_statement': case 'as_pattern_target': case 'dotted_name':
    case 'aliased_import': case 'import_statement': case 'import_from_statement':
      return false;
    case 'pattern_list': case 'tuple_pattern': case 'list_pattern': case 'list_splat_pattern':
      return false;
    case 'delete_statement': case 'expression_list':
      return parent.type === 'expression_list' ? !isAssignmentTarget(parent) : false;
    case 'tuple': case 'list': case 'parenthesized_expression':
      return !isAssignmentTarget(parent);
    default: return true;
  }
}

function isAlias(node: Node): boolean {
  return node.previousSibling?.type === 'as';
}

export function isAssignmentTarget(node: Node): boolean {
  let cur: Node | null = node;
  while (cur && cur.parent) {
    const p: Node = cur.parent;
    if (p.type === 'assignment' || p.type === 'for_statement' || p.type === 'for_in_clause') {
      return field(p, 'left')?.id === cur.id;
    }
    if (!['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list',
      'parenthesized_expression', 'list_splat_pattern'].includes(p.type)) return false;
    cur = p;
  }
  return false;
}

export function isWithin(node: Node, ancestor: Node | null): boolean {
  if (!ancestor) return false;
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex;
}

/** A C value that would have to be boxed to become a Python object (literals are folded into constants). */
export function needsBoxing(info: ExprInfo): boolean {
  return isKnownC(info.type) && !info.literal && info.type.kind !== 'func';
}

/** A Python object value that is not a constant. */
export function isPythonValue(info: ExprInfo): boolean {
  return info.type.kind === 'py' && !info.literal;
}

/** A Python value being unboxed, unless it is a literal the compiler builds as C (struct/array literal). */
export function isUnboxedPythonValue(node: Node, info: ExprInfo, typeOf: (n: Node) => ExprInfo, returnType?: CType):
  boolean {
  return isPythonValue(info) && !isCLiteral(node, typeOf, returnType);
}

export function isCTarget(t: CType): boolean {
  return isKnownC(t) && t.kind !== 'func';
}

/** Builtin types whose truth test Cython does with a C macro (ExprNodes.CoerceToBooleanNode). */
export const SIZED_BUILTINS = new Set(['list', 'tuple', 'set', 'frozenset', 'dict', 'bytes', 'bytearray', 'str',
  'unicode', 'int', 'float', 'long', 'bool']);

/**
 * A list, tuple or dict literal that the compiler turns into a C value: a C array initialiser, a struct literal
 * passed to a C function or assigned to a C variable, a C++ container argument. No Python object is built.
 */
export function isCLiteral(node: Node, typeOf: (n: Node) => ExprInfo, returnType?: CType): boolean {
  if (node.type !== 'list' && node.type !== 'tuple' && node.type !== 'dictionary') return false;
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'c_declarator' || parent.type === 'c_variable_declaration') {
    return true;
  }
  if (parent.type === 'assignment' && field(parent, 'right')?.id === node.id) {
    const left = field(parent, 'left');
    return left !== null && typeOf(left).type.kind !== 'py';
  }
  if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
    const fn = field(parent.parent, 'function');
    const callee = fn ? typeOf(fn).type : undefined;
    const sig = callee ? calleeSignature(callee) : undefined;
    // a callee we cannot type may well take a C array or struct: unknown, not a Python container
    if (!sig) return callee?.kind === 'unknown';
    const index = parent.namedChildren.filter((c) => c && c.type !== 'comment').findIndex((c) => c!.id === node.id);
    const param = sig.params[index];
    // A tuple does not become a C array for a pointer parameter (only a list does: ListNode.coerce_to).
    if (node.type === 'tuple' && param?.type.kind === 'ptr') return false;
    return param === undefined ? sig.varargs === false : param.type.kind !== 'py';
  }
  if (parent.type === 'return_statement' && returnType) return returnType.kind !== 'py';
  return false;
}

/**
 * Where the compiler reports a function-level message: the first decorator of a decorated definition (the
 * definition node starts there), else the function's name.
 */
export function definitionAnchor(fn: Node): Node {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  const first = holder?.namedChildren.find((c) => c?.type === 'decorator');
  return first ?? field(fn, 'name') ?? fn;
}
