/** f-strings, `%` formatting and string concatenation without the GIL. */
import { field, namedChildren } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const stringFormatting: GilRule = {
  code: 'nogil-string-formatting',
  nodeTypes: ['string', 'binary_operator'],
  when: 'nogil',
  check(node, ctx) {
    if (node.type === 'string') {
      if (namedChildren(node).some((c) => c.type === 'interpolation')) {
        ctx.report(node, notAllowedWithoutGil('String formatting'));
      }
      return;
    }
    const left = field(node, 'left');
    const op = field(node, 'operator')?.text ?? node.child(1)?.text;
    if (!left) return;
    const l = ctx.info(left);
    const isText = l.type.kind === 'py' && (l.type.name === 'str' || l.type.name === 'bytes');
    if (isText && op === '%') ctx.report(node, notAllowedWithoutGil('String formatting'));
    else if (isText && op === '+' && left.type === 'string') ctx.report(node, notAllowedWithoutGil('String concatenation'));
  },
};
