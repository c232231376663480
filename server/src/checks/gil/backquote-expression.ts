/**
 * A Python 2 backquote (`` `x` ``, i.e. `repr(x)`) without the GIL (ExprNodes.BackquoteNode). The grammar reads it
 * as a string delimited by backquotes.
 */
import { type GilRule, notAllowedWithoutGil } from './rule';

export const backquoteExpression: GilRule = {
  code: 'nogil-backquote',
  nodeTypes: ['string'],
  when: 'nogil',
  check(node, ctx) {
    if (node.text.startsWith('`')) ctx.report(node, notAllowedWithoutGil('Backquote expression'));
  },
};
