/**
 * The facts of one BLAS/LAPACK call: for each argument, its integer value (`&n` → `a.shape[0]`) or the buffer it
 * points into (`&a[0, 0]` → a C-ordered `double[:, ::1]` of shape (a.shape[0], a.shape[1])), and the routine's
 * documented formulas (`(LDA,N)`, `LDA >= max(1,M)`) evaluated with those values. Shared by the rules of this
 * folder and by the hover at a call site.
 */
import { type LapackParam, type LapackRoutine, normaliseParamName } from '../../lapack/database';
import { type CallContract, callContract, resolveContract } from '../../lapack/call-contract';
import type { Formula } from '../../lapack/workspace-rules';
import type { Node } from '../../model/syntax';
import { field } from '../../model/syntax';
import type { BodyValues, BufferFact } from './body-values';
import { type Sym, extremum, mul, num, add, sub, neg } from './symbolic';

export interface ArgumentFact {
  readonly index: number;
  readonly param: LapackParam;
  readonly node: Node;
  /** The integer a `&x` / value argument holds. */
  readonly value?: Sym;
  /** The one character a CHARACTER argument holds. */
  readonly character?: string;
  /** The buffer an array argument points into. */
  readonly buffer?: BufferFact;
}

export interface CallFacts {
  readonly routine: LapackRoutine;
  readonly contract: CallContract;
  readonly call: Node;
  readonly args: readonly ArgumentFact[];
  /** The values of the function around the call. */
  readonly values: BodyValues;
  /** An argument's fact by LAPACK name (lower case, `lda`). */
  byName(name: string): ArgumentFact | undefined;
  /** A documented formula evaluated with the call's values (undefined when a name has no known value). */
  evaluate(f: Formula): Sym | undefined;
}

/** Reads the facts of a call (its arguments as written, in order). */
export function callFacts(routine: LapackRoutine, call: Node, argNodes: readonly Node[], values: BodyValues): CallFacts {
  const documented = callContract(routine);
  const arrays = new Set([...documented.arrays, ...documented.conditional.arrays].map((a) => a.index));
  const args: ArgumentFact[] = [];
  routine.params.forEach((param, index) => {
    const node = argNodes[index];
    if (!node) return;
    if (arrays.has(index)) {
      const buffer = values.buffer(node);
      args.push({ index, param, node, buffer });
      return;
    }
    const inner = node.type === 'address_of' ? field(node, 'value') : node.type === 'string' ? node
      : /\*\s*$/.test(param.type) ? null : node;
    if (!inner) {
      args.push({ index, param, node });
      return;
    }
    const character = /CHARACTER/.test(param.doc?.split('\n', 1)[0] ?? '') ? values.character(inner) : undefined;
    args.push({ index, param, node, value: character === undefined ? values.scalar(inner) : undefined, character });
  });
  const byName = (name: string): ArgumentFact | undefined => args.find((a) => normaliseParamName(a.param.name) === name);
  // BLAS's TRANSA-dependent dimensions, resolved when the call passes a constant (`b'N'`, a `char` holding one)
  const contract = resolveContract(documented, (flag) => byName(flag)?.character);
  const evaluate = (f: Formula): Sym | undefined => evaluateSymbolic(f, (name) => byName(name)?.value);
  return { routine, contract, call, args, values, byName, evaluate };
}

/** A documented formula (`3*min(M,N) + ...`) with each name's value from `env`; `/` and `**` on constants only. */
export function evaluateSymbolic(f: Formula, env: (name: string) => Sym | undefined): Sym | undefined {
  switch (f.kind) {
    case 'num': return num(f.value);
    case 'name': return env(f.name);
    case 'neg': {
      const v = evaluateSymbolic(f.operand, env);
      return v && neg(v);
    }
    case 'bin': {
      const l = evaluateSymbolic(f.left, env);
      const r = evaluateSymbolic(f.right, env);
      if (!l || !r) return undefined;
      switch (f.op) {
        case '+': return add(l, r);
        case '-': return sub(l, r);
        case '*': return mul(l, r);
        case '/':
          return l.kind === 'num' && r.kind === 'num' && r.value !== 0 ? num(Math.trunc(l.value / r.value)) : undefined;
        case '**':
          return l.kind === 'num' && r.kind === 'num' ? num(l.value ** r.value) : undefined;
      }
      return undefined;
    }
    case 'call': {
      if (f.fn !== 'max' && f.fn !== 'min') return undefined;
      const vals = f.args.map((a) => evaluateSymbolic(a, env));
      return vals.every((v): v is Sym => v !== undefined) ? extremum(f.fn, vals) : undefined;
    }
  }
}

/** `(LDA,N)` → LDA*N with the call's values. */
export function documentedSize(facts: CallFacts, dims: readonly Formula[]): Sym | undefined {
  let size: Sym = num(1);
  for (const d of dims) {
    const v = facts.evaluate(d);
    if (v === undefined) return undefined;
    size = mul(size, v);
  }
  return size;
}
