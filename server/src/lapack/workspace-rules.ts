/**
 * Workspace rules: reads LAPACK's stated minimum sizes (`LWORK >= max(1,3*min(M,N) + ...)`) and decides whether a
 * constant LWORK / LIWORK / LRWORK passed to a routine is certainly below the documented minimum, given the
 * constant arguments the caller could read (m=3, n=2, nrhs=1, jobz='V', ...).
 *
 * "Certainly" is meant literally: a rule counts only when it is unconditional, or its condition (`If JOBZ = 'V' and
 * N > 1, ...`) is known to hold from the given constants; formulas naming anything unknown (NB, ILAENV results)
 * are skipped. LWORK = -1 is accepted when the routine treats it as a workspace query.
 */
import { LapackRoutine, WorkspaceRule, normaliseParamName } from './database';
import { elementType, expandType, findParam, isArrayParam } from './declaration';

// ------------------------------------------------------------------------------------------------------------
// Formulas
// ------------------------------------------------------------------------------------------------------------

export type Formula =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'neg'; readonly operand: Formula }
  | { readonly kind: 'bin'; readonly op: '+' | '-' | '*' | '/' | '**'; readonly left: Formula; readonly right: Formula }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Formula[] };

export class FormulaError extends Error {}

const FUNCTIONS: Readonly<Record<string, (args: number[]) => number>> = {
  max: (a) => Math.max(...a),
  min: (a) => Math.min(...a),
  abs: (a) => Math.abs(a[0]),
  int: (a) => Math.trunc(a[0]),
  nint: (a) => Math.round(a[0]),
  sqrt: (a) => Math.sqrt(a[0]),
  log: (a) => Math.log(a[0]),
  log2: (a) => Math.log2(a[0]),
  ceil: (a) => Math.ceil(a[0]),
  floor: (a) => Math.floor(a[0]),
  mod: (a) => a[0] % a[1],
};

const ARITY: Readonly<Record<string, [number, number]>> = {
  max: [1, Infinity], min: [1, Infinity], mod: [2, 2],
  abs: [1, 1], int: [1, 1], nint: [1, 1], sqrt: [1, 1], log: [1, 1], log2: [1, 1], ceil: [1, 1], floor: [1, 1],
};

interface Token {
  readonly kind: 'num' | 'id' | 'op' | 'str';
  readonly text: string;
}

function tokenize(src: string, allowStrings: boolean): Token[] {
  const re = /\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*)|('[^']*')|(\*\*|<=|>=|\/=|!=|==|\.(?:NE|EQ|LE|GE|LT|GT)\.|[-+*/(),<>=]))/iy;
  const out: Token[] = [];
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (m === null) throw new FormulaError(`unexpected character at ${pos} in ${JSON.stringify(src)}`);
    if (m[1] !== undefined) out.push({ kind: 'num', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'id', text: m[2] });
    else if (m[3] !== undefined) {
      if (!allowStrings) throw new FormulaError(`string literal in formula ${JSON.stringify(src)}`);
      out.push({ kind: 'str', text: m[3].slice(1, -1) });
    } else out.push({ kind: 'op', text: m[4].toUpperCase() });
    pos = re.lastIndex;
  }
  return out;
}

class FormulaParser {
  private i = 0;
  constructor(private readonly toks: readonly Token[], private readonly src: string) {}

  parseAll(): Formula {
    const f = this.expr();
    if (this.i !== this.toks.length) throw new FormulaError(`trailing input in ${JSON.stringify(this.src)}`);
    return f;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private next(): Token {
    const t = this.toks[this.i++];
    if (t === undefined) throw new FormulaError(`unexpected end of ${JSON.stringify(this.src)}`);
    return t;
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'op' && t.text === text;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== text) throw new FormulaError(`expected ${text} in ${JSON.stringify(this.src)}`);
  }

  private expr(): Formula {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as '+' | '-';
      left = { kind: 'bin', op, left, right: this.term() };
    }
    return left;
  }

  private term(): Formula {
    let left = this.power();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next().text as '*' | '/';
      left = { kind: 'bin', op, left, right: this.power() };
    }
    return left;
  }

  private power(): Formula {
    const base = this.unary();
    if (this.isOp('**')) {
      this.next();
      return { kind: 'bin', op: '**', left: base, right: this.power() };
    }
    return base;
  }

  private unary(): Formula {
    if (this.isOp('-')) {
      this.next();
      return { kind: 'neg', operand: this.unary() };
    }
    if (this.isOp('+')) {
      this.next();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): Formula {
    const t = this.next();
    if (t.kind === 'num') return { kind: 'num', value: Number(t.text) };
    if (t.kind === 'id') {
      const fn = t.text.toLowerCase();
      if (this.isOp('(')) {
        if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, fn)) {
          throw new FormulaError(`unknown function ${t.text} in ${JSON.stringify(this.src)}`);
        }
        this.next();
        const args: Formula[] = [this.expr()];
        while (this.isOp(',')) {
          this.next();
          args.push(this.expr());
        }
        this.expect(')');
        const [lo, hi] = ARITY[fn];
        if (args.length < lo || args.length > hi) throw new FormulaError(`${fn} takes ${lo}..${hi} arguments`);
        return { kind: 'call', fn, args };
      }
      return { kind: 'name', name: t.text.toLowerCase() };
    }
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.expr();
      this.expect(')');
      return inner;
    }
    throw new FormulaError(`unexpected ${t.text} in ${JSON.stringify(this.src)}`);
  }
}

const formulaCache = new Map<string, Formula>();

/** Parses a workspace formula (`3*min(M,N) + max( 2*min(M,N), max(M,N), NRHS )`); names are lower-cased. */
export function parseFormula(src: string): Formula {
  let f = formulaCache.get(src);
  if (f === undefined) {
    f = new FormulaParser(tokenize(src, false), src).parseAll();
    formulaCache.set(src, f);
  }
  return f;
}

/** A formula, or undefined when it cannot be read (a FormulaError). */
export function tryParseFormula(src: string): Formula | undefined {
  try {
    return parseFormula(src);
  } catch (err) {
    if (err instanceof FormulaError) return undefined;
    throw err;
  }
}

/** Names (lower case) a formula refers to. */
export function formulaNames(f: Formula, into: Set<string> = new Set()): Set<string> {
  switch (f.kind) {
    case 'name': into.add(f.name); break;
    case 'neg': formulaNames(f.operand, into); break;
    case 'bin': formulaNames(f.left, into); formulaNames(f.right, into); break;
    case 'call': for (const a of f.args) formulaNames(a, into); break;
    case 'num': break;
  }
  return into;
}

/** Evaluates with Fortran integer semantics for `/` on integers; undefined when a name has no value. */
export function evaluateFormula(f: Formula, env: (name: string) => number | undefined): number | undefined {
  switch (f.kind) {
    case 'num':
      return f.value;
    case 'name':
      return env(f.name);
    case 'neg': {
      const v = evaluateFormula(f.operand, env);
      return v === undefined ? undefined : -v;
    }
    case 'bin': {
      const l = evaluateFormula(f.left, env);
      const r = evaluateFormula(f.right, env);
      if (l === undefined || r === undefined) return undefined;
      switch (f.op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/':
          if (r === 0) return undefined;
          return Number.isInteger(l) && Number.isInteger(r) ? Math.trunc(l / r) : l / r;
        case '**': return l ** r;
      }
      return undefined;
    }
    case 'call': {
      const vals: number[] = [];
      for (const a of f.args) {
        const v = evaluateFormula(a, env);
        if (v === undefined) return undefined;
        vals.push(v);
      }
      return FUNCTIONS[f.fn](vals);
    }
  }
}

// ------------------------------------------------------------------------------------------------------------
// Conditions ("If JOBZ = 'V' and N > 1, LWORK must be at least ...")
// ------------------------------------------------------------------------------------------------------------

/** Three-valued: true, false, or undefined (cannot tell). */
type Truth = boolean | undefined;

export type ArgValue = number | string;
export type ArgValues = Readonly<Record<string, ArgValue>>;

function and3(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

function or3(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : undefined;
}

class ConditionParser {
  private i = 0;
  constructor(private readonly toks: readonly Token[], private readonly value: (name: string) => ArgValue | undefined) {}

  parseAll(): Truth {
    const t = this.disjunction();
    if (this.i !== this.toks.length) throw new FormulaError('trailing condition text');
    return t;
  }

  private peek(k = 0): Token | undefined {
    return this.toks[this.i + k];
  }

  private word(w: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && t.kind === 'id' && t.text.toLowerCase() === w;
  }

  private skipCommas(): void {
    while (this.peek()?.kind === 'op' && this.peek()?.text === ',') this.i++;
  }

  private disjunction(): Truth {
    let t = this.conjunction();
    for (;;) {
      const save = this.i;
      this.skipCommas();
      if (!this.word('or')) {
        this.i = save;
        return t;
      }
      this.i++;
      t = or3(t, this.conjunction());
    }
  }

  private conjunction(): Truth {
    let t = this.comparison();
    for (;;) {
      const save = this.i;
      this.skipCommas();
      if (!this.word('and')) {
        this.i = save;
        return t;
      }
      this.i++;
      t = and3(t, this.comparison());
    }
  }

  private operand(): ArgValue | undefined | null {
    const t = this.toks[this.i++];
    if (t === undefined) throw new FormulaError('condition ends early');
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'str') return t.text.toUpperCase();
    if (t.kind === 'id') {
      const v = this.value(t.text.toLowerCase());
      return typeof v === 'string' ? v.toUpperCase() : v;
    }
    throw new FormulaError(`unexpected ${t.text} in condition`);
  }

  private comparison(): Truth {
    const left = this.operand();
    const opTok = this.toks[this.i++];
    if (opTok === undefined || opTok.kind !== 'op') throw new FormulaError('expected comparison');
    const op = ({ '.EQ.': '=', '==': '=', '.NE.': '/=', '!=': '/=', '.LE.': '<=', '.GE.': '>=', '.LT.': '<', '.GT.': '>' } as
      Record<string, string>)[opTok.text] ?? opTok.text;
    if (!['=', '/=', '<', '>', '<=', '>='].includes(op)) throw new FormulaError(`unknown comparison ${opTok.text}`);
    const rights: Array<ArgValue | undefined | null> = [this.operand()];
    // "COMPZ = 'N' or 'I'", "SENSE = 'E', 'V', or 'B'", "IJOB = 1, 2 or 4": more values for the same left side
    for (;;) {
      const save = this.i;
      this.skipCommas();
      if (this.word('or')) this.i++;
      const t = this.peek();
      const after = this.peek(1);
      const alternative = t !== undefined && (t.kind === 'str' || t.kind === 'num') &&
        (after === undefined || !(after.kind === 'op' && /^(?:[<>=]|<=|>=|\/=|!=|==|\..*\.)$/.test(after.text)));
      if (alternative && this.i !== save) {
        rights.push(this.operand());
        continue;
      }
      this.i = save;
      break;
    }
    let result: Truth = false;
    for (const right of rights) result = or3(result, compare(left, op, right));
    return result;
  }
}

function compare(l: ArgValue | undefined | null, op: string, r: ArgValue | undefined | null): Truth {
  if (l === undefined || l === null || r === undefined || r === null) return undefined;
  if (typeof l !== typeof r) return undefined;
  switch (op) {
    case '=': return l === r;
    case '/=': return l !== r;
    case '<': return l < r;
    case '>': return l > r;
    case '<=': return l <= r;
    case '>=': return l >= r;
  }
  return undefined;
}

/** The condition a rule is stated under (`JOBZ = 'N' and N > 1`), when the sentence starts with `If ... ,`. */
export function ruleCondition(rule: WorkspaceRule): string | undefined {
  if (!rule.conditional) return undefined;
  if (rule.condition !== undefined) return rule.condition;
  const m = /^\s*if\s+(.+?),\s*(?:then\s+)?(?:L[IR]?WORK|[IR]?WORK)\b/i.exec(rule.text);
  return m === null ? undefined : m[1];
}

/** Evaluates a rule's condition against the known arguments: true / false / undefined (unknown or unreadable). */
export function evaluateCondition(condition: string, value: (name: string) => ArgValue | undefined): Truth {
  try {
    return new ConditionParser(tokenize(condition, true), value).parseAll();
  } catch (err) {
    if (err instanceof FormulaError) return undefined;
    throw err;
  }
}

// ------------------------------------------------------------------------------------------------------------
// The check
// ------------------------------------------------------------------------------------------------------------

export type WorkspaceVerdict =
  /** -1 and the routine treats it as a workspace query. */
  | { readonly status: 'query'; readonly param: string; readonly value: number }
  /** Certainly below the documented minimum. */
  | { readonly status: 'below'; readonly param: string; readonly value: number; readonly minimum: number;
      /** The rule giving the minimum, and all rules that applied. */
      readonly binding: WorkspaceRule; readonly rules: readonly WorkspaceRule[] }
  /** At least every minimum we could evaluate. */
  | { readonly status: 'ok'; readonly param: string; readonly value: number; readonly minimum: number }
  /** No applicable rule could be evaluated with the known arguments. */
  | { readonly status: 'unknown'; readonly param: string; readonly value: number };

function argLookup(routine: LapackRoutine, args: ArgValues): (name: string) => ArgValue | undefined {
  const values = new Map<string, ArgValue>();
  for (const [k, v] of Object.entries(args)) values.set(normaliseParamName(k), v);
  const defs = new Map((routine.workspace?.definitions ?? []).map((d) => [d.name, d.expr] as const));
  const resolving = new Set<string>();
  const lookup = (name: string): ArgValue | undefined => {
    const direct = values.get(name);
    if (direct !== undefined) return direct;
    const expr = defs.get(name);
    if (expr === undefined || resolving.has(name)) return undefined;
    resolving.add(name);
    try {
      return evaluateFormula(parseFormula(expr), numeric);
    } catch (err) {
      if (err instanceof FormulaError) return undefined;
      throw err;
    } finally {
      resolving.delete(name);
    }
  };
  const numeric = (name: string): number | undefined => {
    const v = lookup(name);
    return typeof v === 'number' ? v : undefined;
  };
  return lookup;
}

/**
 * Judges the constant value of one workspace-size argument (`lwork`, `liwork`, `lrwork`, scipy spelling) of a call
 * to `routine`, given the other constant arguments (keys: parameter names, any case; values: integers or
 * single-character strings for CHARACTER arguments).
 */
export function judgeWorkspaceArg(routine: LapackRoutine, param: string, args: ArgValues): WorkspaceVerdict | undefined {
  const norm = normaliseParamName(param);
  const p = findParam(routine, norm);
  if (p === undefined) return undefined;
  const value = Object.entries(args).find(([k]) => normaliseParamName(k) === norm)?.[1];
  if (typeof value !== 'number') return undefined;
  const ws = routine.workspace;
  if (value === -1 && ws !== undefined && ws.query.some((q) => normaliseParamName(q) === norm)) {
    return { status: 'query', param: p.name, value };
  }
  const lookup = argLookup(routine, args);
  const numeric = (name: string): number | undefined => {
    const v = lookup(name);
    return typeof v === 'number' ? v : undefined;
  };
  let minimum: number | undefined;
  let binding: WorkspaceRule | undefined;
  const used: WorkspaceRule[] = [];
  for (const rule of ws?.rules ?? []) {
    if (rule.param !== norm || rule.kind !== 'minimum' || !rule.exact) continue;
    if (rule.conditional) {
      const cond = ruleCondition(rule);
      if (cond === undefined || evaluateCondition(cond, lookup) !== true) continue;
    }
    let v: number | undefined;
    try {
      v = evaluateFormula(parseFormula(rule.expr), numeric);
    } catch (err) {
      if (err instanceof FormulaError) continue;
      throw err;
    }
    if (v === undefined || !Number.isFinite(v)) continue;
    const bound = Math.ceil(v);
    if (minimum === undefined || bound > minimum) {
      minimum = bound;
      binding = rule;
    }
    used.push(rule);
  }
  if (minimum === undefined || binding === undefined) return { status: 'unknown', param: p.name, value };
  if (value < minimum) return { status: 'below', param: p.name, value, minimum, binding, rules: used };
  return { status: 'ok', param: p.name, value, minimum };
}

/** All certain findings for a call: one per workspace-size argument whose constant value is below the minimum. */
export function checkWorkspaceArgs(routine: LapackRoutine, args: ArgValues): Array<Extract<WorkspaceVerdict, { status: 'below' }>> {
  const out: Array<Extract<WorkspaceVerdict, { status: 'below' }>> = [];
  for (const p of routine.params) {
    if (!['lwork', 'liwork', 'lrwork'].includes(normaliseParamName(p.name))) continue;
    const v = judgeWorkspaceArg(routine, p.name, args);
    if (v !== undefined && v.status === 'below') out.push(v);
  }
  return out;
}

/** A one-line message for a 'below' verdict, e.g. for a diagnostic. */
export function describeBelow(routine: LapackRoutine, v: Extract<WorkspaceVerdict, { status: 'below' }>): string {
  return `${v.param} = ${v.value} is below the documented minimum ${v.minimum} for ${routine.name.toUpperCase()}` +
    ` (${v.binding.text})` +
    (routine.workspace?.query.includes(v.param) ? `; pass ${v.param} = -1 first to query the optimal size` : '');
}

// ------------------------------------------------------------------------------------------------------------
// The workspace-query idiom, as Cython
// ------------------------------------------------------------------------------------------------------------

const QUERY_VAR: Readonly<Record<string, string>> = { lwork: 'wkopt', liwork: 'iwkopt', lrwork: 'rwkopt' };

/**
 * A worked workspace query for `routine` in Cython: call once with L*WORK = -1 and one-element scratch values, read
 * the optimal sizes back, allocate, call again. Undefined when the routine has no workspace query.
 */
export function workspaceQuerySnippet(routine: LapackRoutine, typedefs: Readonly<Record<string, string>>): string | undefined {
  const ws = routine.workspace;
  if (ws === undefined || ws.query.length === 0) return undefined;
  const queries: Array<{ size: string; array: string; elem: string; scratch: string; cast: string }> = [];
  for (const q of ws.query) {
    const norm = normaliseParamName(q);
    const arrayParam = findParam(routine, norm.slice(1));
    const scratch = QUERY_VAR[norm];
    if (arrayParam === undefined || scratch === undefined) continue;
    const elem = expandType(elementType(arrayParam.type), typedefs);
    const complex = /complex/.test(elem);
    const cast = /^(int|long|int64_t|blas_int)$/.test(elem) ? scratch : `<int>${scratch}${complex ? '.real' : ''}`;
    queries.push({ size: q, array: arrayParam.name, elem, scratch, cast });
  }
  if (queries.length === 0) return undefined;
  const sizeType = expandType(elementType(findParam(routine, normaliseParamName(queries[0].size))?.type ?? 'int *'), typedefs);
  const callWith = (scratch: boolean): string => {
    const args = routine.params.map((p) => {
      const q = queries.find((x) => x.array === p.name);
      if (q !== undefined) return scratch ? `&${q.scratch}` : q.array;
      const callback = p.doc !== undefined && /\bFUNCTION\b/.test(p.doc.split('\n', 1)[0]);
      return p.type.trim().endsWith('*') && !isArrayParam(p) && !callback ? `&${p.name}` : p.name;
    });
    return `${routine.name}(${args.join(', ')})`;
  };
  const lines: string[] = [];
  lines.push('from libc.stdlib cimport malloc, free');
  lines.push(`# ... ${otherArgsNote(routine, queries.map((q) => q.array).concat(queries.map((q) => q.size)))}`);
  lines.push(`cdef ${sizeType} ${queries.map((q) => `${q.size} = -1`).join(', ')}`);
  for (const q of queries) lines.push(`cdef ${q.elem} ${q.scratch}`);
  lines.push(`${callWith(true)}  # workspace query: sizes come back in ${queries.map((q) => q.scratch).join(', ')}`);
  for (const q of queries) lines.push(`${q.size} = ${q.cast}`);
  for (const q of queries) {
    lines.push(`cdef ${q.elem} *${q.array} = <${q.elem}*>malloc(${q.size} * sizeof(${q.elem}))`);
  }
  lines.push(callWith(false));
  for (const q of queries) lines.push(`free(${q.array})`);
  return lines.join('\n');
}

function otherArgsNote(routine: LapackRoutine, handled: readonly string[]): string {
  const arrays = routine.params.filter((p) => !handled.includes(p.name) && isArrayParam(p)).map((p) => p.name);
  const scalars = routine.params.filter((p) => !handled.includes(p.name) && !isArrayParam(p)).map((p) => p.name);
  return `with scalars ${scalars.join(', ')} declared and pointers ${arrays.join(', ') || '(none)'} set up`;
}
