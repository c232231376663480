/**
 * Performance hint: calling, without the GIL, a function whose exception check has no error value to test first
 * (`except *`, or the implicit check of void functions): the GIL is acquired after every call.
 */
import { field } from '../../model/syntax';
import { noexceptHintText } from './noexcept-hint-text';
import type { GilRule } from './rule';

export const exceptionCheckAfterCall: GilRule = {
  code: 'exception-check-requires-gil',
  nodeTypes: ['call'],
  when: 'nogil',
  check(node, ctx) {
    const callee = ctx.info(node).callee;
    if (!callee || !callee.nogil || callee.exception.kind !== 'star') return;
    const fn = field(node, 'function');
    const named = fn?.type === 'identifier' || fn?.type === 'attribute';
    ctx.report(node, noexceptHintText({
      functionName: named ? callee.name : undefined, voidReturn: callee.returnType.kind === 'void', isCall: true,
      isFromPxd: callee.inPxd && callee.origin !== 'extern',
    }), { data: { function: callee.name, declaredAt: callee.location } });
  },
};
