/**
 * A routine's call contract as LAPACK documents it, read from the database's parameter texts: the declared dimension
 * of each array (`A is DOUBLE PRECISION array, dimension (LDA,N)`), the rule of each leading dimension
 * (`LDA >= max(1,M)`), the matrix arguments' row and column counts, the TRANS arguments and the storage kind the
 * routine's name encodes (`dgesv`: `ge`, a general matrix).
 *
 * Only unconditional statements count: a dimension or rule stated with a condition (`dimension ( LDA, ka ), where
 * ka is k when TRANSA = 'N'`, `LDB >= 1, and if ...`) or in a form the formula parser does not read is left out.
 */
import type { LapackParam, LapackRoutine } from './database';
import { normaliseParamName } from './database';
import { type Formula, tryParseFormula } from './workspace-rules';

export interface ArrayContract {
  /** Index of the parameter in the call. */
  readonly index: number;
  readonly param: LapackParam;
  /** The documented dimensions, outermost last (`(LDA,N)`: [LDA, N]). */
  readonly dims: readonly Formula[];
  /** As LAPACK writes it: `(LDA,N)`. */
  readonly text: string;
}

export interface LeadingDimensionRule {
  readonly index: number;
  readonly param: LapackParam;
  /** The lower bound (`max(1,M)`). */
  readonly bound: Formula;
  /** As LAPACK writes it: `LDA >= max(1,M)`. */
  readonly text: string;
  /** The one name the bound is the maximum of 1 and (`M` of `max(1,M)`): the matrix's row count. */
  readonly rows?: string;
}

export interface MatrixContract {
  readonly array: ArrayContract;
  /** The leading-dimension parameter (`lda`, lower case) and its rule. */
  readonly leading: LeadingDimensionRule;
  /** The row count's parameter name (lower case), when the rule names exactly one. */
  readonly rows?: string;
  /** The column count: the array's second dimension (`N` of `(LDA,N)`). */
  readonly columns: Formula;
}

/**
 * A dimension or leading-dimension rule that depends on a CHARACTER argument, as BLAS states it: `dimension ( LDA, ka
 * ), where ka is k when TRANSA = 'N' or 'n', and is m otherwise`; `When TRANSA = 'N' or 'n' then LDA must be at least
 * max( 1, m ), otherwise LDA must be at least max( 1, k )`. Resolved per call when the argument is a constant.
 */
export interface ConditionalArray {
  readonly index: number;
  readonly param: LapackParam;
  /** The CHARACTER argument (lower case, `transa`) and the value of the first case (`N`). */
  readonly flag: string;
  readonly value: string;
  readonly when: { readonly dims: readonly Formula[]; readonly text: string };
  readonly otherwise: { readonly dims: readonly Formula[]; readonly text: string };
}

export interface ConditionalLeading {
  readonly index: number;
  readonly param: LapackParam;
  readonly flag: string;
  readonly value: string;
  readonly when: { readonly bound: Formula; readonly text: string; readonly rows?: string };
  readonly otherwise: { readonly bound: Formula; readonly text: string; readonly rows?: string };
}

export interface CallContract {
  readonly arrays: readonly ArrayContract[];
  /** Dimensions and leading-dimension rules stated per value of a CHARACTER argument (BLAS's TRANSA, SIDE). */
  readonly conditional: { readonly arrays: readonly ConditionalArray[]; readonly leading: readonly ConditionalLeading[] };
  readonly leading: readonly LeadingDimensionRule[];
  /** 2-D arrays with a leading dimension argument and its rule. */
  readonly matrices: readonly MatrixContract[];
  /** Whether the routine takes a TRANS-like argument (`trans`, `transa`, `transr`...): a transposed view is its business. */
  readonly transposes: boolean;
  /** The storage kind of its matrices (LAPACK's naming scheme, second and third letters): `ge`, `po`, `sy`, ... */
  readonly storage: string;
}

const contracts = new WeakMap<LapackRoutine, CallContract>();

/** The call contract of a routine (computed once per routine object). */
export function callContract(routine: LapackRoutine): CallContract {
  let c = contracts.get(routine);
  if (c === undefined) {
    c = readContract(routine);
    contracts.set(routine, c);
  }
  return c;
}

/** `(LDA,N)` of `A is DOUBLE PRECISION array, dimension (LDA,N)`, when nothing conditions it. */
export function documentedDimension(param: LapackParam): { dims: Formula[]; text: string } | undefined {
  const doc = param.doc;
  if (doc === undefined) return undefined;
  const first = doc.split('\n', 1)[0];
  const m = /\barray,?\s+dimension\s*\(/i.exec(first);
  if (m === null) return undefined;
  const open = m.index + m[0].length - 1;
  let depth = 0;
  let close = -1;
  for (let i = open; i < first.length; i++) {
    if (first[i] === '(') depth++;
    else if (first[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) return undefined;
  // nothing but punctuation may follow: "(N), where ...", "(LDA,N) if ..." are conditional
  if (!/^\s*\.?\s*$/.test(first.slice(close + 1))) return undefined;
  const next = doc.split('\n')[1] ?? '';
  if (/^\s*(?:if|when|where|otherwise)\b/i.test(next)) return undefined;
  const inner = first.slice(open + 1, close);
  const parts: string[] = [];
  let start = 0;
  depth = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '(') depth++;
    else if (inner[i] === ')') depth--;
    else if (inner[i] === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  const dims: Formula[] = [];
  for (const p of parts) {
    const f = tryParseFormula(p.trim());
    if (f === undefined) return undefined;
    dims.push(f);
  }
  return dims.length > 0 && dims.length <= 3 ? { dims, text: `(${inner.trim()})` } : undefined;
}

/** `LDA >= max(1,M)` in a leading dimension's text, when stated as a sentence of its own. */
export function leadingDimensionRule(param: LapackParam): { bound: Formula; text: string; rows?: string } | undefined {
  const doc = param.doc;
  if (doc === undefined || !/^ld[a-z0-9]*$/.test(normaliseParamName(param.name))) return undefined;
  const upper = normaliseParamName(param.name).toUpperCase();
  // one sentence: "... LDA >= max(1,M)." with nothing conditional in it
  const flat = doc.replace(/\s+/g, ' ');
  const re = new RegExp(`(^|[.:]\\s)([^.]*?)\\b${upper}\\s*>=\\s*([^.;]*?)\\s*(\\.|;|$)`, 'g');
  let found: { bound: Formula; text: string; rows?: string } | undefined;
  for (const m of flat.matchAll(re)) {
    if (/\b(if|when|unless|otherwise)\b/i.test(m[2]) || /\b(if|and|or|when|otherwise)\b|,\s*$/i.test(m[3])) return undefined;
    if (m[4] === ';' ) return undefined;
    const bound = tryParseFormula(m[3]);
    if (bound === undefined) return undefined;
    if (found !== undefined) return undefined;
    found = { bound, text: `${upper} >= ${m[3].trim()}` };
    if (bound.kind === 'call' && bound.fn === 'max' && bound.args.length === 2) {
      const [a, b] = bound.args;
      const one = (f: Formula): boolean => f.kind === 'num' && f.value === 1;
      const other = one(a) ? b : one(b) ? a : undefined;
      if (other?.kind === 'name') found = { ...found, rows: other.name };
    }
  }
  return found;
}

/** `max( 1, m )` → its rows name `m`. */
function rowsOf(bound: Formula): string | undefined {
  if (bound.kind !== 'call' || bound.fn !== 'max' || bound.args.length !== 2) return undefined;
  const [a, b] = bound.args;
  const one = (f: Formula): boolean => f.kind === 'num' && f.value === 1;
  const other = one(a) ? b : one(b) ? a : undefined;
  return other?.kind === 'name' ? other.name : undefined;
}

/** `dimension ( LDA, ka ), where ka is k when TRANSA = 'N' or 'n', and is m otherwise`. */
export function conditionalDimension(param: LapackParam, index: number): ConditionalArray | undefined {
  const flat = (param.doc ?? '').replace(/\s+/g, ' ');
  const m = /\barray, dimension \( ?(\w+) ?, ?(\w+) ?\),? where \2 is (\w+) when (\w+) = '(\w)' or '\w',? and is (\w+) otherwise\b/i.exec(flat);
  if (!m) return undefined;
  const [, ld, , whenDim, flag, value, otherDim] = m;
  const f = (x: string): Formula | undefined => tryParseFormula(x);
  const l = f(ld), a = f(whenDim), b = f(otherDim);
  if (!l || !a || !b) return undefined;
  const cond = `${flag.toUpperCase()} = '${value.toUpperCase()}'`;
  return { index, param, flag: flag.toLowerCase(), value: value.toUpperCase(),
    when: { dims: [l, a], text: `(${ld},${whenDim}) (${cond})` },
    otherwise: { dims: [l, b], text: `(${ld},${otherDim}) (${flag.toUpperCase()} ≠ '${value.toUpperCase()}')` } };
}

/** `When TRANSA = 'N' or 'n' then LDA must be at least max( 1, m ), otherwise LDA must be at least max( 1, k )`. */
export function conditionalLeadingRule(param: LapackParam, index: number): ConditionalLeading | undefined {
  const flat = (param.doc ?? '').replace(/\s+/g, ' ');
  const m = /\bWhen (\w+) = '(\w)' or '\w',? then (\w+) must be at least (max\( ?1 ?, ?\w+ ?\)),? otherwise \3 must be at least (max\( ?1 ?, ?\w+ ?\))\s*\./i.exec(flat);
  if (!m || m[3].toLowerCase() !== normaliseParamName(param.name)) return undefined;
  const [, flag, value, ld, whenBound, otherBound] = m;
  const a = tryParseFormula(whenBound), b = tryParseFormula(otherBound);
  if (!a || !b) return undefined;
  const upper = ld.toUpperCase();
  const cond = `${flag.toUpperCase()} = '${value.toUpperCase()}'`;
  return { index, param, flag: flag.toLowerCase(), value: value.toUpperCase(),
    when: { bound: a, text: `${upper} >= ${whenBound} (${cond})`, rows: rowsOf(a) },
    otherwise: { bound: b, text: `${upper} >= ${otherBound} (${flag.toUpperCase()} ≠ '${value.toUpperCase()}')`, rows: rowsOf(b) } };
}

/** The 2-D arrays whose first dimension is a leading-dimension argument with a rule. */
function matricesOf(arrays: readonly ArrayContract[], leading: readonly LeadingDimensionRule[]): MatrixContract[] {
  const matrices: MatrixContract[] = [];
  for (const array of arrays) {
    if (array.dims.length !== 2) continue;
    const first = array.dims[0];
    if (first.kind !== 'name') continue;
    const rule = leading.find((l) => normaliseParamName(l.param.name) === first.name);
    if (rule === undefined) continue;
    matrices.push({ array, leading: rule, rows: rule.rows, columns: array.dims[1] });
  }
  return matrices;
}

/**
 * The contract of one call: the conditional dimensions and rules resolved with the call's CHARACTER arguments
 * (`character(flag)`, upper case; undefined when not a constant: that entry is left out).
 */
export function resolveContract(contract: CallContract, character: (flag: string) => string | undefined): CallContract {
  const { arrays: cArrays, leading: cLeading } = contract.conditional;
  if (cArrays.length === 0 && cLeading.length === 0) return contract;
  const arrays = [...contract.arrays];
  const leading = [...contract.leading];
  for (const c of cArrays) {
    const v = character(c.flag)?.toUpperCase();
    if (v === undefined) continue;
    const pick = v === c.value ? c.when : c.otherwise;
    arrays.push({ index: c.index, param: c.param, dims: pick.dims, text: pick.text });
  }
  for (const c of cLeading) {
    const v = character(c.flag)?.toUpperCase();
    if (v === undefined) continue;
    const pick = v === c.value ? c.when : c.otherwise;
    leading.push({ index: c.index, param: c.param, bound: pick.bound, text: pick.text, rows: pick.rows });
  }
  return { ...contract, arrays, leading, matrices: matricesOf(arrays, leading) };
}

function readContract(routine: LapackRoutine): CallContract {
  const arrays: ArrayContract[] = [];
  const leading: LeadingDimensionRule[] = [];
  const conditional = { arrays: [] as ConditionalArray[], leading: [] as ConditionalLeading[] };
  routine.params.forEach((param, index) => {
    const dim = documentedDimension(param);
    if (dim !== undefined) arrays.push({ index, param, dims: dim.dims, text: dim.text });
    const ld = leadingDimensionRule(param);
    if (ld !== undefined) leading.push({ index, param, ...ld });
    const cd = dim === undefined ? conditionalDimension(param, index) : undefined;
    if (cd !== undefined) conditional.arrays.push(cd);
    const cl = ld === undefined ? conditionalLeadingRule(param, index) : undefined;
    if (cl !== undefined) conditional.leading.push(cl);
  });
  const matrices = matricesOf(arrays, leading);
  const transposes = routine.params.some((p) => /^trans[a-z]?$/.test(normaliseParamName(p.name)));
  return { arrays, conditional, leading, matrices, transposes, storage: routine.name.slice(1, 3).toLowerCase() };
}
