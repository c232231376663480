/**
 * `lapack-workspace`: an LWORK / LIWORK / LRWORK below LAPACK's documented minimum (`LWORK >= 3*min(M,N) +
 * max( 2*min(M,N), max(M,N), NRHS )` for DGELSS), evaluated with the call's values. LAPACK's parameter check rejects
 * the call (INFO = -12 for DGELSS's LWORK, with XERBLA's message on stderr) and computes nothing.
 *
 * - All constants (`cdef int m = 3, n = 2, lwork = 5`): the minimum as a number (lapack/workspace-rules.ts), the
 *   message saying which rule gives it; constants also come from a local written once (the rule's first form).
 * - Otherwise symbolically, with the values body-values.ts reads (`lwork = n`, `n = a.shape[1]`): a rule counts when
 *   it is unconditional, or its condition holds with the constant arguments (`JOBZ = 'V'`), and the LWORK is
 *   certainly below it for every dimension >= 1 (symbolic.ts). A value from the workspace query (`lwork =
 *   <int>wkopt`) is opaque, never certainly below anything; LWORK = -1 is the query itself.
 */
import { type ArgValue, type LapackRoutine, type WorkspaceRule, describeBelow, evaluateCondition, judgeWorkspaceArg,
  normaliseParamName, ruleCondition, tryParseFormula } from '../../lapack';
import type { Formula } from '../../lapack/workspace-rules';
import { field, significantChildren } from '../../model/syntax';
import { constantValue, enclosingBody } from '../call-arguments/constant-values';
import { type CallFacts, evaluateSymbolic } from './call-facts';
import type { LapackCallRule, LapackFinding } from './rule';
import { type Sym, certainlyLess, constant, render, unnamed, whereNames } from './symbolic';

const SIZES = new Set(['lwork', 'liwork', 'lrwork']);

export const lapackWorkspace: LapackCallRule = {
  code: 'lapack-workspace',
  check(facts) {
    const routine = facts.routine;
    const ws = routine.workspace;
    if (!ws?.rules.length) return [];
    const constants = constantArguments(facts);
    const out: LapackFinding[] = [];
    for (const arg of facts.args) {
      const norm = normaliseParamName(arg.param.name);
      if (!SIZES.has(norm)) continue;
      const given = constants[arg.param.name];
      if (typeof given === 'number') {
        if (given === -1 && ws.query.some((q) => normaliseParamName(q) === norm)) continue;
        const verdict = judgeWorkspaceArg(routine, arg.param.name, constants);
        if (verdict?.status === 'below') {
          out.push({ code: 'lapack-workspace', node: arg.node, message: describeBelow(routine, verdict) });
          continue;
        }
        if (verdict?.status === 'ok') continue;
      }
      const value = arg.value === undefined ? undefined : unnamed(arg.value);
      if (value === undefined) continue;
      const below = symbolicMinimum(facts, norm, value, constants);
      if (!below) continue;
      out.push({ code: 'lapack-workspace', node: arg.node,
        message: `${arg.param.name} = ${render(value)} is below the documented minimum ${render(below.minimum)} for ` +
          `${routine.name.toUpperCase()} (${below.rule.text})${whereNames(value, below.minimum)}` +
          (ws.query.includes(arg.param.name) ? `; pass ${arg.param.name} = -1 first to query the optimal size` : '') });
    }
    return out;
  },
};

/**
 * The arguments whose value is a constant: an integer (`&m` with `m` = 3) or one character (`b'V'`), from the values
 * at the call or, failing that, from a local written once in the function.
 */
function constantArguments(facts: CallFacts): Record<string, ArgValue> {
  const out: Record<string, ArgValue> = {};
  const body = enclosingBody(facts.call);
  for (const arg of facts.args) {
    const known = arg.character ?? (arg.value === undefined ? undefined : constant(arg.value));
    if (known !== undefined) {
      out[arg.param.name] = known;
      continue;
    }
    const inner = arg.node.type === 'address_of' ? (field(arg.node, 'value') ?? significantChildren(arg.node)[0]) : undefined;
    const once = inner?.type === 'identifier' ? constantValue(inner.text, body) : undefined;
    if (once !== undefined) out[arg.param.name] = once;
  }
  return out;
}

/** The largest documented minimum that `value` is certainly below, with the rule stating it. */
function symbolicMinimum(facts: CallFacts, param: string, value: Sym, constants: Record<string, ArgValue>):
  { minimum: Sym; rule: WorkspaceRule } | undefined {
  const routine = facts.routine;
  const byNorm = new Map(Object.entries(constants).map(([k, v]) => [normaliseParamName(k), v] as const));
  const lookup = (name: string): ArgValue | undefined => byNorm.get(name);
  const env = symbolicValues(facts, routine);
  for (const rule of routine.workspace?.rules ?? []) {
    if (rule.param !== param || rule.kind !== 'minimum' || !rule.exact) continue;
    if (rule.conditional) {
      const cond = ruleCondition(rule);
      if (cond === undefined || evaluateCondition(cond, lookup) !== true) continue;
    }
    const minimum = env(tryParseFormula(rule.expr));
    if (minimum !== undefined && certainlyLess(value, minimum)) return { minimum, rule };
  }
  return undefined;
}

/**
 * A formula's value with the call's symbolic arguments, and the routine's own definitions (`MINMN = min(M,N)`)
 * expanded; undefined when a name has no value or the formula was not read.
 */
function symbolicValues(facts: CallFacts, routine: LapackRoutine): (f: Formula | undefined) => Sym | undefined {
  const defs = new Map((routine.workspace?.definitions ?? []).map((d) => [d.name, d.expr] as const));
  const resolving = new Set<string>();
  const env = (name: string): Sym | undefined => {
    const direct = facts.byName(name)?.value;
    if (direct !== undefined) return direct;
    const expr = defs.get(name);
    if (expr === undefined || resolving.has(name)) return undefined;
    resolving.add(name);
    try {
      const f = tryParseFormula(expr);
      return f && evaluateSymbolic(f, env);
    } finally {
      resolving.delete(name);
    }
  };
  return (f) => (f === undefined ? undefined : evaluateSymbolic(f, env));
}
