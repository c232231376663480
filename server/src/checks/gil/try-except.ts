/** `try: ... except:` without the GIL (try/finally is allowed). */
import { childrenOfType } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const tryExcept: GilRule = {
  code: 'nogil-try-except',
  nodeTypes: ['try_statement'],
  when: 'nogil',
  check(node, ctx) {
    if (childrenOfType(node, 'except_clause', 'except_group_clause').length > 0) {
      ctx.report(node.child(0) ?? node, notAllowedWithoutGil('Try-except statement'));
    }
  },
};
