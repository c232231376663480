/** `with cython.critical_section(obj):` and `@cython.critical_section` need the GIL (Nodes.CriticalSectionStatNode). */
import type { Node } from 'web-tree-sitter';
import { withItems } from '../../model/gil-state';
import { decoratorsOf, field, namedChildren, significantChildren } from '../../model/syntax';
import { type GilRule, type RuleContext, nogilSignature, notAllowedWithoutGil } from './rule';

const CRITICAL = /^(cython\.)?critical_section$/;

export const criticalSectionGil: GilRule = {
  code: 'critical-section-gil',
  nodeTypes: ['with_statement', 'c_function_definition'],
  when: 'always',
  check(node, ctx) {
    if (node.type === 'c_function_definition') {
      const decorated = decoratorsOf(node).some((d) => CRITICAL.test(significantChildren(d)[0]?.text ?? ''));
      const sig = decorated ? nogilSignature(node, ctx) : undefined;
      if (!sig) return;
      const at = node.parent?.type === 'decorated_definition' ? node.parent : node;
      ctx.report(at, 'Critical sections require the GIL');
      if (sig.params.some((p) => p.type.kind === 'py')) {
        ctx.report(at, notAllowedWithoutGil('Creating temporary Python reference'));
      }
      return;
    }
    if (ctx.state.kind === 'held') return;
    for (const item of withItems(node)) {
      const value = field(item, 'value') ?? namedChildren(item)[0];
      const fn = value?.type === 'call' ? field(value, 'function') : null;
      if (!value || !fn || !CRITICAL.test(fn.text)) continue;
      ctx.report(node.child(0) ?? node, 'Critical sections require the GIL');
      reportObjects(value, ctx);
    }
  },
};

function reportObjects(call: Node, ctx: RuleContext): void {
  const args = field(call, 'arguments');
  for (const a of args ? namedChildren(args) : []) {
    if (ctx.info(a).type.kind === 'py') ctx.report(a, notAllowedWithoutGil('Creating temporary Python reference'));
  }
}
