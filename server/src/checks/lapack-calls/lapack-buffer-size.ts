/**
 * `lapack-buffer-size`: an array argument shorter than LAPACK's documented dimension for it, evaluated with the
 * call's values (`WORK` of `dimension (MAX(1,LWORK))` given `work = malloc(n * sizeof(double))` and `lwork = 5*n`;
 * `A` of `dimension (LDA,N)` given a memoryview of fewer elements). The routine reads or writes past the end: a
 * crash (`free(): invalid next size`) or silent corruption. Said only when the buffer is certainly shorter.
 */
import { documentedSize } from './call-facts';
import { type LapackCallRule, type LapackFinding, mayBeUnreferenced } from './rule';
import { certainlyLess, render, whereNames } from './symbolic';

export const lapackBufferSize: LapackCallRule = {
  code: 'lapack-buffer-size',
  check(facts) {
    const out: LapackFinding[] = [];
    for (const array of facts.contract.arrays) {
      const arg = facts.args.find((a) => a.index === array.index);
      const capacity = arg?.buffer?.capacity;
      if (!arg || capacity === undefined || mayBeUnreferenced(array.param.doc)) continue;
      const needed = documentedSize(facts, array.dims);
      if (needed === undefined || !certainlyLess(capacity, needed)) continue;
      const upper = array.param.name.toUpperCase().replace(/_$/, '');
      out.push({
        code: 'lapack-buffer-size', node: arg.node,
        message: `${arg.buffer?.name} holds ${render(capacity)} element(s) (${arg.buffer?.origin}) but ` +
          `${facts.routine.name.toUpperCase()} uses ${upper} as dimension ${array.text} = ${render(needed)}: ` +
          `it reads or writes past the end${whereNames(capacity, needed)}`,
      });
    }
    return out;
  },
};
