/**
 * `lapack-memory-order`: a C-ordered 2-D memoryview (`double[:, ::1]`, `np.empty((m, n))`) passed as a general
 * matrix to a column-major routine, with its row count as the matrix's rows: LAPACK reads it column by column and
 * sees its transpose (`dgesv` solves Aᵀx = b: a wrong answer, INFO = 0). Not said when the call accounts for the
 * order: the routine takes a TRANS argument, the dimensions are swapped (M = a.shape[1]), the matrix is symmetric
 * or triangular by kind (`po`, `sy`, `tr`...), or a dimension is 1 (a vector is both orders).
 */
import { type LapackParam, normaliseParamName } from '../../lapack/database';
import type { BufferFact } from './body-values';
import { type LapackCallRule, type LapackFinding, mayBeUnreferenced } from './rule';
import { constant, render, sameValue } from './symbolic';

/** General-matrix storage kinds (LAPACK's naming scheme): the order of the elements matters. */
const GENERAL = new Set(['ge', 'gg']);

export const lapackMemoryOrder: LapackCallRule = {
  code: 'lapack-memory-order',
  check(facts) {
    const out: LapackFinding[] = [];
    if (!GENERAL.has(facts.contract.storage)) return out;
    // BLAS's op( A ): transposing every operand is the row-major idiom (C = A*B as C**T = B**T * A**T), not a mistake
    if (facts.contract.transposes && facts.routine.module === 'cython_blas') return out;
    const transposed = transposedByArgument(facts.routine.params);
    const routine = facts.routine.name.toUpperCase();
    for (const matrix of facts.contract.matrices) {
      if (transposed.has(normaliseParamName(matrix.array.param.name))) continue;
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
          `the transpose of ${buffer.name} (${matrix.rows.toUpperCase()} = ${render(rows)}${rows.kind === 'named' ? ` = ${render(rows.value)}` : ''} rows). ` +
          `${fortranAdvice(buffer.kind, buffer.element)} or pass the transposed problem`,
      });
    }
    return out;
  },
};

/** How to make the array Fortran-ordered, in the terms of what holds it. */
function fortranAdvice(kind: BufferFact['kind'], element: string | undefined): string {
  if (kind === 'ndarray') return "Declare it mode='fortran' (make it with order='F' or np.asfortranarray)";
  if (kind === 'object') return "Make it with order='F' (or np.asfortranarray)";
  return `Declare it ${element ?? 'double'}[::1, :] (Fortran order)`;
}

/**
 * The matrices a TRANS-like argument transposes (`dgetrs`: "= 'T': A**T * X = B"; `dgels`: "involves A**T"): their
 * order is the call's business. Names written `X**T`, `X**H` or `op( X )` in the TRANS parameters' documentation.
 */
function transposedByArgument(params: readonly LapackParam[]): Set<string> {
  const out = new Set<string>();
  for (const p of params) {
    if (!/^trans[a-z]?$/.test(normaliseParamName(p.name))) continue;
    for (const m of (p.doc ?? '').matchAll(/\b([A-Z]\w*)\s*\*\*\s*[TH]\b|\bop\(\s*([A-Z]\w*)\s*\)/g)) out.add((m[1] ?? m[2]).toLowerCase());
  }
  return out;
}
