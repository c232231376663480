/** Building a Python tuple, list, dict or set (literals, comprehensions, argument tuples) without the GIL. */
import type { Node } from 'web-tree-sitter';
import { field, namedChildren } from '../../model/syntax';
import { isFlattenedInSequence, isUnpackedMinMaxSequence } from '../../model/expression-types';
import { isAssignmentTarget, isCLiteral } from './expression-roles';
import { type GilRule, type RuleContext, notAllowedWithoutGil } from './rule';

const WHAT: Record<string, string> = {
  tuple: 'Constructing Python tuple', list: 'Constructing Python list', list_comprehension: 'Constructing Python list',
  dictionary: 'Constructing Python dict', dictionary_comprehension: 'Constructing Python dict',
  set: 'Constructing Python set', set_comprehension: 'Constructing Python set',
  generator_expression: 'Constructing Python collection',
};

export const pythonContainerConstruction: GilRule = {
  code: 'nogil-python-container',
  nodeTypes: [...Object.keys(WHAT), 'call'],
  when: 'nogil',
  check(node, ctx) {
    if (node.type === 'call') {
      checkArgumentTuple(node, ctx);
      return;
    }
    if (isAssignmentTarget(node) || isCLiteral(node, ctx.info, ctx.fn?.signature?.returnType)) return;
    // `x in (a, b)`: compared element by element, the sequence is never built (FlattenInListTransform).
    if (isFlattenedInSequence(node) || isUnpackedMinMaxSequence(node, ctx.info)) return;
    ctx.report(node, notAllowedWithoutGil(WHAT[node.type]));
  },
};

/** A Python call packs its positional arguments into a tuple (and keyword arguments into a dict). */
function checkArgumentTuple(node: Node, ctx: RuleContext): void {
  const fn = field(node, 'function');
  const args = field(node, 'arguments');
  if (!fn || !args || args.type !== 'argument_list') return;
  const result = ctx.info(node);
  if (result.callee || result.type.kind !== 'py' || result.builtinCallNeedsGil) return;
  const f = ctx.info(fn);
  if (f.type.kind !== 'py' && f.symbol?.kind !== 'ext-class') return;
  const items = namedChildren(args).filter((a) => a.type !== 'comment');
  // The positional arguments are a TupleNode even when there are none (`f()`, `f(a=1)`: SimpleCallNode /
  // GeneralCallNode.positional_args), and the compiler reports it.
  ctx.report(args, notAllowedWithoutGil('Constructing Python tuple'));
  // Keyword arguments alone build no dict the compiler reports (GeneralCallNode reports the call itself).
  if (items.some((a) => a.type === 'dictionary_splat')) {
    ctx.report(args, notAllowedWithoutGil('Constructing Python dict'));
  }
}
