/**
 * `lapack-leading-dimension`: a leading dimension below LAPACK's rule (`LDA >= max(1,M)`) with the call's values, or
 * one that differs from the distance between the columns of the contiguous memoryview passed (`double[::1, :]` of
 * shape (r, c): columns are r elements apart, so LDA must be r; a C-ordered `double[:, ::1]` read as its transpose:
 * c). LAPACK rejects the first (INFO < 0) and reads the wrong elements with the second.
 */
import { type LapackCallRule, type LapackFinding, mayBeUnreferenced } from './rule';
import { certainlyLess, render, unnamed, whereNames } from './symbolic';

export const lapackLeadingDimension: LapackCallRule = {
  code: 'lapack-leading-dimension',
  check(facts) {
    const out: LapackFinding[] = [];
    const routine = facts.routine.name.toUpperCase();
    for (const rule of facts.contract.leading) {
      const arg = facts.args.find((a) => a.index === rule.index);
      const given = arg?.value;
      const ld = given === undefined ? undefined : unnamed(given);
      if (!arg || ld === undefined) continue;
      const bound = facts.evaluate(rule.bound);
      if (bound !== undefined && certainlyLess(ld, bound)) {
        out.push({ code: 'lapack-leading-dimension', node: arg.node,
          message: `${arg.param.name} = ${render(ld)} is below ${routine}'s rule ${rule.text} = ${render(bound)}${whereNames(ld, bound)}` });
        continue;
      }
      const matrix = facts.contract.matrices.find((m) => m.leading === rule);
      const array = matrix ? facts.args.find((a) => a.index === matrix.array.index) : undefined;
      const buffer = array?.buffer;
      if (!matrix || !buffer?.shape || buffer.shape.length !== 2 || mayBeUnreferenced(matrix.array.param.doc)) continue;
      if (!array || !/\[\s*0+\s*,\s*0+\s*\]$/.test(array.node.text)) continue;
      const stride = buffer.order === 'F' ? buffer.shape[0] : buffer.order === 'C' ? buffer.shape[1] : undefined;
      if (stride === undefined || !(certainlyLess(ld, stride) || certainlyLess(stride, ld))) continue;
      out.push({ code: 'lapack-leading-dimension', node: arg.node,
        message: `${arg.param.name} = ${render(ld)} but the columns ${routine} reads of ${buffer.name} ` +
          `(${buffer.origin}, ${buffer.order === 'F' ? 'Fortran' : 'C'} order) are ${render(stride)} elements apart: ` +
          `pass ${arg.param.name} = ${render(stride)}${whereNames(ld, stride)}` });
    }
    return out;
  },
};
