/** Calling a Python callable, or a C function not declared `nogil`, without the GIL. */
import { field } from '../../model/syntax';
import { type GilRule, notAllowedWithoutGil } from './rule';

export const gilRequiringCall: GilRule = {
  code: 'nogil-gil-requiring-call',
  nodeTypes: ['call'],
  when: 'nogil',
  check(node, ctx) {
    const fn = field(node, 'function');
    const args = field(node, 'arguments');
    if (!fn) return;
    const result = ctx.info(node);
    const callee = result.callee;
    if (callee) {
      if (!callee.nogil) {
        ctx.report(args ?? node, notAllowedWithoutGil('Calling gil-requiring function'), {
          data: { function: callee.name, declaredAt: callee.location },
        });
      }
      return;
    }
    const f = ctx.info(fn);
    if (result.builtinCallNeedsGil) {
      ctx.report(args ?? node, notAllowedWithoutGil('Calling gil-requiring function'));
      return;
    }
    // Builtins compiled to C (abs, min, max, len on C values) type as C: no call happens.
    if (result.type.kind !== 'py' && f.symbol?.kind === 'builtin') return;
    if (f.type.kind === 'py' || f.symbol?.kind === 'ext-class') {
      ctx.report(args ?? node, notAllowedWithoutGil('Calling gil-requiring function'));
    }
  },
};
