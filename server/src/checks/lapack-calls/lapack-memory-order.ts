/**
 * `lapack-memory-order`: a C-ordered 2-D memoryview (`double[:, ::1]`, `np.empty((m, n))`) passed as a general
 * matrix to a column-major routine, with its row count as the matrix's rows: LAPACK reads it column by column and
 * sees its transpose (`dgesv` solves Aᵀx = b: a wrong answer, INFO = 0). Not said when the call accounts for the
 * order: the routine takes a TRANS argument, the dimensions are swapped (M = a.shape[1]), the matrix is symmetric
 * or triangular by kind (`po`, `sy`, `tr`...), or a dimension is 1 (a vector is both orders).
 */
import { type LapackCallRule, type LapackFinding, mayBeUnreferenced } from './rule';
import { constant, render, sameValue } from './symbolic';

/** General-matrix storage kinds (LAPACK's naming scheme): the order of the elements matters. */
const GENERAL = new Set(['ge', 'gg']);

export const lapackMemoryOrder: LapackCallRule = {
  code: 'lapack-memory-order',
  check(facts) {
    const out: LapackFinding[] = [];
    if (!GENERAL.has(facts.contract.storage) || facts.contract.transposes) return out;
    const routine = facts.routine.name.toUpperCase();
    for (const matrix of facts.contract.matrices) {
      const arg = facts.args.find((a) => a.index === matrix.array.index);
      const buffer = arg?.buffer;
      if (!arg || buffer?.order !== 'C' || !buffer.shape || buffer.shape.length !== 2 || matrix.rows === undefined) continue;
      if (mayBeUnreferenced(matrix.array.param.doc)) continue;
      const rows = facts.byName(matrix.rows)?.value;
      const columns = facts.evaluate(matrix.columns);
      if (rows === undefined || !sameValue(rows, buffer.shape[0])) continue;
      if (constant(rows) === 1 || (columns !== undefined && constant(columns) === 1) || constant(buffer.shape[1]) === 1) continue;
      const upper = matrix.array.param.name.toUpperCase().replace(/_$/, '');
      out.push({
        code: 'lapack-memory-order', node: arg.node,
        message: `${buffer.name} is C-ordered (${buffer.origin}) but ${routine} reads ${upper} column by column: it sees ` +
          `the transpose of ${buffer.name} (${matrix.rows.toUpperCase()} = ${render(rows)}${rows.kind === 'named' ? ` = ${render(rows.value)}` : ''} rows). Declare it ` +
          `${buffer.element ?? 'double'}[::1, :] (Fortran order) or pass the transposed problem`,
      });
    }
    return out;
  },
};
