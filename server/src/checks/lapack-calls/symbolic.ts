/**
 * Symbolic sizes for the LAPACK call checks: integer expressions over atoms (a memoryview's `a.shape[0]`, a
 * parameter `n`, the value a local received from `int(work[0])`), with + - * min max, and a prover for
 * "certainly smaller" that never guesses.
 *
 * Atoms stand for sizes: they are assumed to be at least 1 (a matrix with a zero dimension makes no call go wrong).
 * `certainlyLess(x, y)` holds when some upper bound of x plus one is at most some lower bound of y, both
 * polynomials, their difference having only non-negative coefficients once every atom is written 1 + t (t >= 0).
 */

export interface Atom {
  /** Identity: two atoms are the same value when their ids are equal. */
  readonly id: string;
  /** How the code names it (`a.shape[0]`, `n`). */
  readonly text: string;
}

export type Sym =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'atom'; readonly atom: Atom }
  | { readonly kind: 'add'; readonly left: Sym; readonly right: Sym }
  | { readonly kind: 'mul'; readonly left: Sym; readonly right: Sym }
  | { readonly kind: 'neg'; readonly operand: Sym }
  | { readonly kind: 'max' | 'min'; readonly args: readonly Sym[] }
  /** A value as a variable names it (`n` for `a.shape[0]`): the same value, shown by its name. */
  | { readonly kind: 'named'; readonly name: string; readonly value: Sym };

/** The value under a name (messages show the name, and what it holds). */
export const named = (name: string, value: Sym): Sym =>
  value.kind === 'num' || (value.kind === 'atom' && value.atom.text === name) ? value : { kind: 'named', name, value };

export const num = (value: number): Sym => ({ kind: 'num', value });
export const atom = (id: string, text: string): Sym => ({ kind: 'atom', atom: { id, text } });

export function add(left: Sym, right: Sym): Sym {
  if (left.kind === 'num' && right.kind === 'num') return num(left.value + right.value);
  if (left.kind === 'num' && left.value === 0) return right;
  if (right.kind === 'num' && right.value === 0) return left;
  return { kind: 'add', left, right };
}

export function sub(left: Sym, right: Sym): Sym {
  return add(left, neg(right));
}

export function neg(operand: Sym): Sym {
  if (operand.kind === 'num') return num(-operand.value);
  if (operand.kind === 'neg') return operand.operand;
  return { kind: 'neg', operand };
}

export function mul(left: Sym, right: Sym): Sym {
  if (left.kind === 'num' && right.kind === 'num') return num(left.value * right.value);
  if (left.kind === 'num' && left.value === 1) return right;
  if (right.kind === 'num' && right.value === 1) return left;
  return { kind: 'mul', left, right };
}

export function extremum(kind: 'max' | 'min', args: readonly Sym[]): Sym {
  if (args.length === 1) return args[0];
  if (args.every((a) => a.kind === 'num')) {
    const values = args.map((a) => (a as { value: number }).value);
    return num(kind === 'max' ? Math.max(...values) : Math.min(...values));
  }
  return { kind, args };
}

/** The constant value, when there are no atoms. */
export function constant(s: Sym): number | undefined {
  const p = polynomial(s);
  if (p === undefined) return undefined;
  if (p.size === 0) return 0;
  if (p.size === 1 && p.has('')) return p.get('');
  return undefined;
}

// ------------------------------------------------------------------------------------------------------------
// Polynomials: monomial key (atom ids sorted, joined by '\u0001'; '' for the constant) -> coefficient
// ------------------------------------------------------------------------------------------------------------

type Poly = Map<string, number>;

const SEP = '\u0001';

function polyAdd(a: Poly, b: Poly, sign = 1): Poly {
  const out = new Map(a);
  for (const [k, v] of b) {
    const r = (out.get(k) ?? 0) + sign * v;
    if (r === 0) out.delete(k);
    else out.set(k, r);
  }
  return out;
}

function polyMul(a: Poly, b: Poly): Poly {
  let out: Poly = new Map();
  for (const [ka, va] of a) {
    for (const [kb, vb] of b) {
      const key = [...(ka ? ka.split(SEP) : []), ...(kb ? kb.split(SEP) : [])].sort().join(SEP);
      out = polyAdd(out, new Map([[key, va * vb]]));
    }
  }
  return out;
}

/** A polynomial when the expression has no min/max. */
function polynomial(s: Sym): Poly | undefined {
  switch (s.kind) {
    case 'num': return s.value === 0 ? new Map() : new Map([['', s.value]]);
    case 'atom': return new Map([[s.atom.id, 1]]);
    case 'named': return polynomial(s.value);
    case 'add': {
      const l = polynomial(s.left);
      const r = polynomial(s.right);
      return l && r ? polyAdd(l, r) : undefined;
    }
    case 'mul': {
      const l = polynomial(s.left);
      const r = polynomial(s.right);
      return l && r ? polyMul(l, r) : undefined;
    }
    case 'neg': {
      const o = polynomial(s.operand);
      return o ? polyAdd(new Map(), o, -1) : undefined;
    }
    default: return undefined;
  }
}

/** Whether p >= 0 for every value >= 1 of its atoms (sufficient test: coefficients after atom = 1 + t). */
function certainlyNonNegative(p: Poly): boolean {
  let shifted: Poly = new Map();
  for (const [key, coef] of p) {
    const atoms = key ? key.split(SEP) : [];
    // (1 + t1)(1 + t2)...: every sub-multiset of the monomial's atoms
    const count = 1 << atoms.length;
    if (atoms.length > 8) return false;
    for (let mask = 0; mask < count; mask++) {
      const chosen = atoms.filter((_, i) => (mask & (1 << i)) !== 0).sort().join(SEP);
      shifted = polyAdd(shifted, new Map([[chosen, coef]]));
    }
  }
  for (const v of shifted.values()) if (v < 0) return false;
  return true;
}

const LIMIT = 24;

/** Non-negative coefficients on every monomial with atoms: the polynomial grows with its atoms. */
function monotone(p: Poly): boolean {
  for (const [k, v] of p) if (k !== '' && v < 0) return false;
  return true;
}

/** The value with every atom 1. */
function atOnes(p: Poly): number {
  let total = 0;
  for (const v of p.values()) total += v;
  return total;
}

interface Bounds {
  readonly lower: Poly[];
  readonly upper: Poly[];
}

function cross(a: Poly[], b: Poly[], f: (x: Poly, y: Poly) => Poly): Poly[] {
  const out: Poly[] = [];
  for (const x of a) for (const y of b) if (out.length < LIMIT) out.push(f(x, y));
  return out;
}

function bounds(s: Sym): Bounds {
  switch (s.kind) {
    case 'named': return bounds(s.value);
    case 'num': case 'atom': {
      const p = polynomial(s) as Poly;
      return { lower: [p], upper: [p] };
    }
    case 'add': {
      const l = bounds(s.left);
      const r = bounds(s.right);
      return { lower: cross(l.lower, r.lower, polyAdd), upper: cross(l.upper, r.upper, polyAdd) };
    }
    case 'neg': {
      const o = bounds(s.operand);
      const negate = (p: Poly): Poly => polyAdd(new Map(), p, -1);
      return { lower: o.upper.map(negate), upper: o.lower.map(negate) };
    }
    case 'mul': {
      const c = constant(s.left) ?? constant(s.right);
      const other = constant(s.left) !== undefined ? s.right : s.left;
      if (c !== undefined) {
        const o = bounds(other);
        const scale = (p: Poly): Poly => polyMul(p, new Map([['', c]]));
        return c >= 0 ? { lower: o.lower.map(scale), upper: o.upper.map(scale) }
          : { lower: o.upper.map(scale), upper: o.lower.map(scale) };
      }
      const l = bounds(s.left);
      const r = bounds(s.right);
      // products of bounds hold when both factors are certainly non-negative
      const nonneg = (b: Bounds): boolean => b.lower.some(certainlyNonNegative);
      if (!nonneg(l) || !nonneg(r)) return { lower: [], upper: [] };
      return {
        lower: cross(l.lower.filter(certainlyNonNegative), r.lower.filter(certainlyNonNegative), polyMul),
        upper: cross(l.upper, r.upper, polyMul),
      };
    }
    case 'max': case 'min': {
      const parts = s.args.map(bounds);
      // max: any argument's lower bound is one; an upper bound must be above some upper bound of every argument
      const easy = s.kind === 'max' ? 'lower' : 'upper';
      const hard = s.kind === 'max' ? 'upper' : 'lower';
      const easyList = parts.flatMap((b) => b[easy]).slice(0, LIMIT);
      const hardList = parts.flatMap((b) => b[hard]).filter((cand) => parts.every((b) => b[hard].some((q) =>
        certainlyNonNegative(s.kind === 'max' ? polyAdd(cand, q, -1) : polyAdd(q, cand, -1))))).slice(0, LIMIT);
      if (s.kind === 'min') {
        // every atom is at least 1: a polynomial with non-negative coefficients is at least its value there
        const floors = parts.map((b) => Math.max(-Infinity, ...b.lower.filter(monotone).map(atOnes)));
        const floor = Math.min(...floors);
        if (Number.isFinite(floor)) hardList.push(new Map(floor === 0 ? [] : [['', floor]]));
      }
      return s.kind === 'max' ? { lower: easyList, upper: hardList } : { lower: hardList, upper: easyList };
    }
  }
}

/** Whether x < y for every value >= 1 of the atoms (false: not certain). */
export function certainlyLess(x: Sym, y: Sym): boolean {
  const bx = bounds(x);
  const by = bounds(y);
  for (const u of bx.upper) {
    for (const l of by.lower) {
      // l - u - 1 >= 0
      if (certainlyNonNegative(polyAdd(polyAdd(l, u, -1), new Map([['', -1]])))) return true;
    }
  }
  return false;
}

/** Whether two expressions are the same polynomial (no min/max). */
export function sameValue(x: Sym, y: Sym): boolean {
  const a = polynomial(x);
  const b = polynomial(y);
  if (a === undefined || b === undefined) return false;
  return polyAdd(a, b, -1).size === 0;
}

/** Whether the expression mentions an atom. */
export function hasAtoms(s: Sym): boolean {
  switch (s.kind) {
    case 'num': return false;
    case 'atom': return true;
    case 'add': case 'mul': return hasAtoms(s.left) || hasAtoms(s.right);
    case 'neg': return hasAtoms(s.operand);
    case 'named': return hasAtoms(s.value);
    default: return s.args.some(hasAtoms);
  }
}

/** The expression as Cython would write it (`5*n`, `max(1, a.shape[0])`). */
export function render(s: Sym): string {
  const poly = polynomial(s);
  if (poly !== undefined && !hasNames(s)) return renderPoly(poly, s);
  switch (s.kind) {
    case 'named': return s.name;
    case 'num': return String(s.value);
    case 'atom': return s.atom.text;
    case 'max': case 'min': return `${s.kind}(${s.args.map(render).join(', ')})`;
    case 'add': {
      const r = render(s.right);
      return r.startsWith('-') ? `${render(s.left)} - ${r.slice(1)}` : `${render(s.left)} + ${r}`;
    }
    case 'neg': return `-${wrap(s.operand)}`;
    case 'mul': return `${wrap(s.left)}*${wrap(s.right)}`;
    default: return '?';
  }
}

function hasNames(s: Sym): boolean {
  switch (s.kind) {
    case 'named': return true;
    case 'num': case 'atom': return false;
    case 'add': case 'mul': return hasNames(s.left) || hasNames(s.right);
    case 'neg': return hasNames(s.operand);
    default: return s.args.some(hasNames);
  }
}

/** The names an expression shows and what each holds, one level down (`lwork = 5*n`), for messages. */
export function explainNames(s: Sym, seen = new Set<string>()): string[] {
  const out: string[] = [];
  const visit = (x: Sym): void => {
    switch (x.kind) {
      case 'named':
        if (!seen.has(x.name)) {
          seen.add(x.name);
          out.push(`${x.name} = ${render(x.value)}`);
          out.push(...explainNames(x.value, seen));
        }
        return;
      case 'num': case 'atom': return;
      case 'add': case 'mul': visit(x.left); visit(x.right); return;
      case 'neg': visit(x.operand); return;
      default: x.args.forEach(visit);
    }
  };
  visit(s);
  return out;
}

function wrap(s: Sym): string {
  const t = render(s);
  if (s.kind === 'named' || s.kind === 'atom' || s.kind === 'max' || s.kind === 'min') return t;
  return s.kind === 'add' || /[-+ ]/.test(t.replace(/^-/, '')) ? `(${t})` : t;
}

function renderPoly(p: Poly, s: Sym): string {
  const names = new Map<string, string>();
  collectAtoms(s, names);
  const terms = [...p.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  if (terms.length === 0) return '0';
  const parts = terms.map(([key, coef]) => {
    const atoms = key ? key.split(SEP).map((id) => names.get(id) ?? id) : [];
    if (atoms.length === 0) return String(coef);
    const body = atoms.join('*');
    return coef === 1 ? body : coef === -1 ? `-${body}` : `${coef}*${body}`;
  });
  return parts.reduce((acc, t) => (t.startsWith('-') ? `${acc} - ${t.slice(1)}` : `${acc} + ${t}`));
}

function collectAtoms(s: Sym, into: Map<string, string>): void {
  switch (s.kind) {
    case 'num': return;
    case 'atom': into.set(s.atom.id, s.atom.text); return;
    case 'add': case 'mul': collectAtoms(s.left, into); collectAtoms(s.right, into); return;
    case 'neg': collectAtoms(s.operand, into); return;
    case 'named': collectAtoms(s.value, into); return;
    default: for (const a of s.args) collectAtoms(a, into);
  }
}

/** ` (where lwork = 5*n, n = a.shape[0])` for the names the expressions show; empty when none. */
export function whereNames(...syms: Sym[]): string {
  const seen = new Set<string>();
  const all = syms.flatMap((x) => explainNames(x, seen));
  return all.length === 0 ? '' : ` (where ${all.slice(0, 4).join(', ')}${all.length > 4 ? ', ...' : ''})`;
}

/** The value itself when it is shown under a name (`lda` holding `n - 1`: `n - 1`). */
export function unnamed(s: Sym): Sym {
  return s.kind === 'named' ? s.value : s;
}
