/**
 * `<fp_t>f` where fp_t is a pointer to a nogil function and f needs the GIL (ExprNodes.TypecastNode): the cast
 * hides the function's GIL requirement from the compiler's checks.
 */
import { field, significantChildren } from '../../model/syntax';
import { calleeSignature } from '../../model/expression-types';
import { parseTypeText } from '../../model/type-syntax';
import type { GilRule } from './rule';

export const NOGIL_CAST_MESSAGE = 'Casting a GIL-requiring function into a nogil function circumvents GIL validation';

export const nogilFunctionCast: GilRule = {
  code: 'nogil-function-cast',
  nodeTypes: ['cast_expression'],
  when: 'always',
  check(node, ctx) {
    const t = field(node, 'type');
    const v = field(node, 'value') ?? significantChildren(node).at(-1);
    if (!t || !v) return;
    const target = ctx.model.collector.resolveTypeSyntax(parseTypeText(t.text));
    if (target.kind !== 'ptr' || target.base.kind !== 'func' || !target.base.sig.nogil) return;
    const operand = calleeSignature(ctx.info(v).type);
    if (operand && !operand.nogil) ctx.report(node, NOGIL_CAST_MESSAGE);
  },
};
