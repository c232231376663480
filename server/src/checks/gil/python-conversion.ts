/**
 * A C value converted ("boxed") into a Python object without the GIL. `valuesCoercedToPython` finds every value the
 * compiler coerces to an object at a node; an imaginary literal among them is built as a Python complex instead
 * (complex-number-construction.ts), the others are converted.
 */
import type { Node } from 'web-tree-sitter';
import type { ExprInfo } from '../../model/expression-types';
import { field, namedChildren, significantChildren } from '../../model/syntax';
import { isAssignmentTarget, isCLiteral, isPythonValue as isPythonValueInfo, needsBoxing } from './expression-roles';
import { comparesInC, flattenedInElements, isFlattenedInSequence, isUnpackedMinMaxSequence } from '../../model/expression-types';
import { type GilRule, type RuleContext, notAllowedWithoutGil } from './rule';

const CONTAINERS = new Set(['list', 'tuple', 'set']);

/** The node types at which values are coerced to Python objects. */
export const COERCING_NODE_TYPES = ['call', 'list', 'tuple', 'set', 'dictionary', 'assignment', 'binary_operator',
  'comparison_operator', 'return_statement', 'cast_expression'];

export const pythonConversion: GilRule = {
  code: 'nogil-python-conversion',
  nodeTypes: COERCING_NODE_TYPES,
  when: 'nogil',
  check(node, ctx) {
    for (const b of valuesCoercedToPython(node, ctx)) {
      if (!ctx.info(b).imaginary) ctx.report(b, notAllowedWithoutGil('Converting to Python object'));
    }
  },
};

/** A C value that becomes an object at run time where an object is expected (not a constant). */
function coercible(info: ExprInfo): boolean {
  return needsBoxing(info) || info.imaginary === true;
}

/** The values under `node` (one of COERCING_NODE_TYPES) that the compiler coerces to Python objects. */
export function valuesCoercedToPython(node: Node, ctx: RuleContext): Node[] {
  const boxed: Node[] = [];
  if (node.type === 'call') {
    const args = field(node, 'arguments');
    const result = ctx.info(node);
    const callee = result.callee;
    const fn = field(node, 'function');
    // Builtins declared as C functions (builtins.ts) box only their object parameters.
    const pyCall = result.builtinCallNeedsGil ? result.builtinBoxesArguments === true
      : !callee && fn !== null && (ctx.info(fn).type.kind === 'py' || ctx.info(fn).symbol?.kind === 'ext-class')
        && !(result.type.kind !== 'py' && ctx.info(fn).symbol?.kind === 'builtin');
    const positional = args ? namedChildren(args).filter((a) => a.type !== 'comment') : [];
    positional.forEach((a, i) => {
      const value = a.type === 'keyword_argument' ? field(a, 'value') : a;
      if (!value) return;
      const param = callee?.params[i];
      const toPython = pyCall || (param !== undefined && param.type.kind === 'py' && a.type !== 'keyword_argument');
      if (toPython && coercible(ctx.info(value))) boxed.push(value);
    });
  } else if (CONTAINERS.has(node.type)) {
    if (isAssignmentTarget(node) || isCLiteral(node, ctx.info, ctx.fn?.signature?.returnType)) return boxed;
    if (isFlattenedInSequence(node) || isUnpackedMinMaxSequence(node, ctx.info)) return boxed;
    for (const e of namedChildren(node)) if (coercible(ctx.info(e))) boxed.push(e);
  } else if (node.type === 'dictionary') {
    if (isCLiteral(node, ctx.info, ctx.fn?.signature?.returnType)) return boxed;
    for (const pair of namedChildren(node)) {
      for (const part of [field(pair, 'key'), field(pair, 'value')]) if (part && coercible(ctx.info(part))) boxed.push(part);
    }
  } else if (node.type === 'assignment') {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (left && right && right.type !== 'assignment' && ctx.info(left).type.kind === 'py'
      && coercible(ctx.info(right))) boxed.push(right);
  } else if (node.type === 'comparison_operator' && flattenedInElements(node)) {
    // `x in (a, b)` → `x == a or x == b`: x is boxed once if some element only compares as an object.
    const elements = flattenedInElements(node)!;
    const lhs = significantChildren(node)[0];
    const l = ctx.info(lhs);
    if (coercible(l) && elements.some((e) => !comparesInC(l.type, ctx.info(e), e))) boxed.push(lhs);
    if (isPythonValueInfo(l)) for (const e of elements) if (coercible(ctx.info(e))) boxed.push(e);
  } else if (node.type === 'binary_operator' || node.type === 'comparison_operator') {
    const operands = node.type === 'binary_operator' ? [field(node, 'left'), field(node, 'right')]
      : significantChildren(node);
    const infos = operands.map((o) => (o ? ctx.info(o) : undefined));
    const identity = node.type === 'comparison_operator' && node.children.some((c) => c?.text === 'is');
    if (!identity && infos.some((i) => i?.type.kind === 'py' && !i.literal)) {
      operands.forEach((o, i) => { if (o && infos[i] && coercible(infos[i]!)) boxed.push(o); });
    }
    // `c in s` on a C string: s becomes a bytes object (find_special_bool_compare_function).
    const containment = node.type === 'comparison_operator' && operands.length === 2
      && node.children.some((c) => c?.text === 'in' || c?.text === 'not in');
    const rhs = infos[1]?.type;
    if (containment && rhs?.kind === 'ptr' && rhs.base.kind === 'scalar' && rhs.base.family === 'char'
      && infos[0]?.type.kind === 'scalar' && operands[1]) boxed.push(operands[1]);
  } else if (node.type === 'return_statement') {
    const value = significantChildren(node)[0];
    const returnsPython = ctx.fn?.isPythonFunction || ctx.fn?.signature?.returnType.kind === 'py';
    if (value && returnsPython && value.type !== 'expression_list' && coercible(ctx.info(value))) boxed.push(value);
  } else if (node.type === 'cast_expression') {
    const value = field(node, 'value');
    // `<object>ptr` reinterprets a pointer as an object reference: nothing is converted.
    const v = value ? ctx.info(value) : undefined;
    if (value && v && ctx.info(node).type.kind === 'py' && coercible(v) && v.type.kind !== 'ptr') boxed.push(value);
  }
  return boxed;
}
