/**
 * The compiler's performance hint for indexing a memoryview with a Python object (ExprNodes.MemoryViewIndexNode):
 * the index is converted to Py_ssize_t at run time on every access.
 */
import { type Node, fields } from '../../model/syntax';
import type { Scope } from '../../model/symbols';
import type { GilRule, RuleContext } from './rule';

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension',
  'generator_expression']);

/**
 * For a name bound by an enclosing comprehension's `for`: is it a Python object? Over `range()` it is a C integer
 * unless an argument is a Python object; over a Python iterable it is an object. Undefined: not a comprehension
 * variable (or not known).
 */
function comprehensionVariableIsObject(name: Node, ctx: RuleContext): boolean | undefined {
  // The walk gives comprehensions (and lambdas) their own scope: outside them there is no ancestor to look for.
  if (!inComprehensionScope(ctx.scope)) return undefined;
  for (let n = name.parent; n; n = n.parent) {
    if (!COMPREHENSIONS.has(n.type)) continue;
    for (const clause of n.namedChildren) {
      if (clause?.type !== 'for_in_clause' || clause.childForFieldName('left')?.text !== name.text) continue;
      const right = clause.childForFieldName('right');
      if (!right) return undefined;
      const fn = right.type === 'call' ? right.childForFieldName('function')?.text : undefined;
      if (fn === 'range') {
        const args = right.childForFieldName('arguments')?.namedChildren ?? [];
        return args.some((a) => a !== null && ctx.info(a).type.kind === 'py');
      }
      return ctx.info(right).type.kind === 'py' ? true : undefined;
    }
  }
  return undefined;
}

function inComprehensionScope(scope: Scope | undefined): boolean {
  for (let s = scope; s; s = s.parent) if (s.kind === 'comprehension') return true;
  return false;
}

export const UNTYPED_INDEX_MESSAGE = 'Index should be typed for more efficient access';

export const untypedIndex: GilRule = {
  code: 'untyped-index',
  nodeTypes: ['subscript'],
  when: 'always',
  check(node, ctx) {
    const base = node.childForFieldName('value');
    if (!base || ctx.info(base).type.kind !== 'memview') return;
    const indices = fields(node, 'subscript');
    for (const index of indices) {
      if (index.type === 'slice' || index.type === 'none') continue;
      const bound = index.type === 'identifier' ? comprehensionVariableIsObject(index, ctx) : undefined;
      if (bound === false || (bound === undefined && ctx.info(index).type.kind !== 'py')) continue;
      // The compiler points at the operator of a binary expression (its node position).
      const at = index.type === 'binary_operator' ? (index.childForFieldName('operator') ?? index) : index;
      ctx.report(at, UNTYPED_INDEX_MESSAGE, index.type === 'identifier' ? { data: { variable: index.text } } : undefined);
    }
  },
};
