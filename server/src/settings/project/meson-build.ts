/**
 * The `cython_args` a meson build gives the compiler, read from its `meson.build` files without running meson.
 *
 * A small evaluator of meson's language: assignments (`=`, `+=`), string and array literals, `+` and `/`,
 * `meson.current_source_dir()` and the source-root functions, `meson.get_compiler('cython').version()
 * .version_compare(...)` (against the Cython the analysis models), `not`/`and`/`or`/comparisons, `if`/`elif`/`else`,
 * and `subdir('x')`, which reads `x/meson.build` in the same variables as meson does; only the subdirs on the way
 * from the project root to a file's folder are read. Whatever else a build computes (`run_command`, `get_option`,
 * `foreach` bodies, an `if` whose condition is such a value) is unknown: a value that depends on it is reported,
 * never guessed, and an unknown `if` leaves its variables as they were.
 */
import * as path from 'node:path';
import type { ArgElement } from './cython-args';
import type { Origin } from './origin';

/** The Cython version `version_compare` conditions are evaluated against: the compiler the analysis models. */
export const MODELLED_CYTHON_VERSION = '3.3.1';

type Value =
  | { k: 'str'; s: string; origin: Origin }
  | { k: 'num'; n: number }
  | { k: 'bool'; b: boolean }
  | { k: 'arr'; items: Value[] }
  | { k: 'dict' }
  | { k: 'meson' }
  | { k: 'cython' }
  | { k: 'version'; v: string }
  | { k: 'unknown'; text: string; origin: Origin };

interface Token {
  t: 'str' | 'fstr' | 'num' | 'id' | 'op' | 'nl' | 'eof';
  v: string;
  line: number;
  /** Offsets of the token in the text (for the source of an expression). */
  start: number;
  end: number;
}

/** Splits meson source into tokens; newlines inside brackets and after `\` are dropped. Never throws. */
export function mesonTokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  const push = (t: Token['t'], v: string, start: number, startLine: number): void => {
    out.push({ t, v, line: startLine, start, end: i });
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      if (depth === 0) push('nl', '\n', i, line);
      i++;
      line++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === "'" || ((c === 'f') && text[i + 1] === "'")) {
      const start = i;
      const startLine = line;
      const fmt = c === 'f';
      if (fmt) i++;
      if (text.startsWith("'''", i)) {
        const close = text.indexOf("'''", i + 3);
        const end = close === -1 ? text.length : close;
        const body = text.slice(i + 3, end);
        for (const ch of body) if (ch === '\n') line++;
        i = close === -1 ? text.length : close + 3;
        push(fmt ? 'fstr' : 'str', body, start, startLine);
      } else {
        i++;
        let s = '';
        while (i < text.length && text[i] !== "'" && text[i] !== '\n') {
          if (text[i] === '\\' && i + 1 < text.length) {
            const e = text[i + 1] as string;
            s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
            i += 2;
          } else {
            s += text[i];
            i++;
          }
        }
        if (text[i] === "'") i++;
        push(fmt ? 'fstr' : 'str', s, start, startLine);
      }
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /\w/.test(text[i] as string)) i++;
      push('id', text.slice(start, i), start, line);
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < text.length && /[0-9a-fA-FxXoObB]/.test(text[i] as string)) i++;
      push('num', text.slice(start, i), start, line);
    } else {
      const start = i;
      const two = text.slice(i, i + 2);
      if (['+=', '==', '!=', '<=', '>='].includes(two)) {
        i += 2;
        push('op', two, start, line);
      } else {
        if ('([{'.includes(c)) depth++;
        else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
        i++;
        push('op', c, start, line);
      }
    }
  }
  out.push({ t: 'eof', v: '', line, start: text.length, end: text.length });
  return out;
}

export interface MesonFiles {
  /** The text of a meson.build (undefined: missing or unreadable). */
  read(file: string): Promise<string | undefined>;
}

export interface MesonResult {
  /** The final `cython_args` of the folder, element by element; undefined when no meson.build sets it. */
  cythonArgs: ArgElement[] | undefined;
  /** The meson.build files read, in order. */
  files: string[];
  /** Notes: `if` blocks that set cython_args under a condition that cannot be evaluated, errors of syntax. */
  notes: { message: string; origin: Origin }[];
}

class Unsupported extends Error {}

/**
 * Evaluates `root/meson.build` and the `subdir()`s on the way to `targetDir` and returns the variable `cython_args`
 * as it is at the end of the deepest file read.
 */
export async function mesonCythonArgs(root: string, targetDir: string, files: MesonFiles): Promise<MesonResult> {
  const result: MesonResult = { cythonArgs: undefined, files: [], notes: [] };
  const vars = new Map<string, Value>();
  const texts = new Map<string, string>();
  // read every meson.build on the way first (asynchronously); evaluation is synchronous after that
  const rel = path.relative(root, targetDir);
  const dirs = [root];
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    let d = root;
    for (const part of rel.split(path.sep)) {
      d = path.join(d, part);
      dirs.push(d);
    }
  }
  for (const d of dirs) {
    const f = path.join(d, 'meson.build');
    const text = await files.read(f);
    if (text !== undefined) texts.set(f, text);
  }
  const rootFile = path.join(root, 'meson.build');
  if (!texts.has(rootFile)) return result;
  const evaluator = new Evaluator(root, targetDir, texts, vars, result);
  evaluator.run(rootFile, 0);
  const args = vars.get('cython_args');
  if (args?.k === 'arr') result.cythonArgs = flatten(args);
  return result;
}

function flatten(v: Value): ArgElement[] {
  const out: ArgElement[] = [];
  const walk = (x: Value): void => {
    if (x.k === 'arr') for (const item of x.items) walk(item);
    else if (x.k === 'str') out.push({ text: x.s, origin: x.origin });
    else if (x.k === 'unknown') out.push({ expression: x.text, origin: x.origin });
  };
  walk(v);
  return out;
}

function truth(v: Value): boolean | undefined {
  return v.k === 'bool' ? v.b : undefined;
}

/** meson's version_compare: `>=3.1.0`, `<3`, `==3.3.1`, `!=...` (numeric parts). */
function versionCompare(version: string, spec: string): boolean | undefined {
  const m = /^\s*(>=|<=|==|!=|>|<)?\s*([0-9][0-9.]*)/.exec(spec);
  if (!m) return undefined;
  const a = version.split('.').map(Number);
  const b = (m[2] as string).split('.').map(Number);
  let cmp = 0;
  for (let i = 0; i < Math.max(a.length, b.length) && cmp === 0; i++) cmp = Math.sign((a[i] ?? 0) - (b[i] ?? 0));
  switch (m[1] ?? '==') {
    case '>=': return cmp >= 0;
    case '<=': return cmp <= 0;
    case '>': return cmp > 0;
    case '<': return cmp < 0;
    case '!=': return cmp !== 0;
    default: return cmp === 0;
  }
}

class Evaluator {
  private toks: Token[] = [];
  private pos = 0;
  private file = '';
  private text = '';

  constructor(
    private readonly root: string,
    private readonly targetDir: string,
    private readonly texts: ReadonlyMap<string, string>,
    private readonly vars: Map<string, Value>,
    private readonly result: MesonResult,
  ) {}

  run(file: string, depth: number): void {
    const text = this.texts.get(file);
    if (text === undefined || depth > 32) return;
    const saved = { toks: this.toks, pos: this.pos, file: this.file, text: this.text };
    this.toks = mesonTokens(text);
    this.pos = 0;
    this.file = file;
    this.text = text;
    this.result.files.push(file);
    try {
      this.block(new Set(['eof']), true);
    } catch (err) {
      const tok = this.peek();
      this.result.notes.push({
        message: err instanceof Unsupported ? `stopped reading: ${err.message}` : `stopped reading: ${String(err)}`,
        origin: { file, line: tok.line },
      });
    } finally {
      Object.assign(this, saved);
    }
  }

  private peek(): Token {
    return this.toks[this.pos] ?? (this.toks[this.toks.length - 1] as Token);
  }

  private next(): Token {
    const t = this.peek();
    if (t.t !== 'eof') this.pos++;
    return t;
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }

  private isId(v: string): boolean {
    const t = this.peek();
    return t.t === 'id' && t.v === v;
  }

  private expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new Unsupported(`expected '${v}' at line ${t.line}`);
  }

  private skipNewlines(): void {
    while (this.peek().t === 'nl') this.next();
  }

  /** Statements until one of `ends` (an identifier keyword or 'eof'); returns the keyword that ended it. */
  private block(ends: ReadonlySet<string>, execute: boolean): string {
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof') {
        if (ends.has('eof')) return 'eof';
        throw new Unsupported(`unexpected end of file (missing ${[...ends].join('/')})`);
      }
      if (t.t === 'id' && ends.has(t.v)) return t.v;
      this.statement(execute);
    }
  }

  private statement(execute: boolean): void {
    const t = this.peek();
    if (t.t === 'id' && t.v === 'if') return this.ifStatement(execute);
    if (t.t === 'id' && t.v === 'foreach') {
      this.next();
      while (this.peek().t !== 'nl' && this.peek().t !== 'eof') this.next();
      this.block(new Set(['endforeach']), false); // a loop body is not evaluated
      this.next();
      return;
    }
    if (t.t === 'id' && (t.v === 'break' || t.v === 'continue')) {
      this.next();
      return;
    }
    const next = this.toks[this.pos + 1];
    if (t.t === 'id' && next?.t === 'op' && (next.v === '=' || next.v === '+=')) {
      this.next();
      this.next();
      const value = this.expression(execute);
      if (execute) {
        if (next.v === '=') this.vars.set(t.v, value);
        else this.vars.set(t.v, this.add(this.vars.get(t.v) ?? this.unknown(t.v, t.line), value, t.line));
      }
      return;
    }
    this.expression(execute); // a call: subdir() is followed, the rest computes nothing we read
  }

  private ifStatement(execute: boolean): void {
    let taken = false;
    let unknownAt: number | undefined;
    let keyword = 'if';
    while (keyword === 'if' || keyword === 'elif' || keyword === 'else') {
      const kwTok = this.next();
      let run: boolean;
      if (keyword === 'else') {
        run = !taken && unknownAt === undefined;
      } else {
        const cond = truth(this.expression());
        if (cond === undefined && !taken && unknownAt === undefined) unknownAt = kwTok.line;
        run = !taken && unknownAt === undefined && cond === true;
      }
      const before = this.pos;
      keyword = this.block(new Set(['elif', 'else', 'endif']), execute && run);
      if (run) taken = true;
      else if (execute && unknownAt !== undefined && this.assignsCythonArgs(before, this.pos)) {
        this.result.notes.push({
          message: 'cython_args is changed under a condition Cython Lens cannot evaluate',
          origin: { file: this.file, line: unknownAt },
        });
      }
    }
    this.next(); // endif
  }

  private assignsCythonArgs(from: number, to: number): boolean {
    for (let i = from; i < to - 1; i++) {
      const a = this.toks[i] as Token;
      const b = this.toks[i + 1] as Token;
      if (a.t === 'id' && a.v === 'cython_args' && b.t === 'op' && (b.v === '=' || b.v === '+=')) return true;
    }
    return false;
  }

  private unknown(text: string, line: number): Value {
    return { k: 'unknown', text, origin: { file: this.file, line } };
  }

  private add(a: Value, b: Value, line: number): Value {
    if (a.k === 'arr') return { k: 'arr', items: b.k === 'arr' ? [...a.items, ...b.items] : [...a.items, b] };
    if (a.k === 'str' && b.k === 'str') return { k: 'str', s: a.s + b.s, origin: a.origin };
    if (a.k === 'num' && b.k === 'num') return { k: 'num', n: a.n + b.n };
    return this.unknown(`${describe(a)} + ${describe(b)}`, line);
  }

  // --- expressions -------------------------------------------------------------------------------------------

  private expression(execute = true): Value {
    const start = this.peek();
    const cond = this.orExpr(execute);
    if (this.isOp('?')) {
      this.next();
      const a = this.expression(execute);
      this.expectOp(':');
      const b = this.expression(execute);
      const c = truth(cond);
      return c === undefined ? this.unknown(this.source(start), start.line) : c ? a : b;
    }
    return cond;
  }

  private source(start: Token): string {
    const end = this.toks[this.pos - 1]?.end ?? start.end;
    return this.text.slice(start.start, end).replace(/\s+/g, ' ').trim();
  }

  private orExpr(execute: boolean): Value {
    const start = this.peek();
    let v = this.andExpr(execute);
    while (this.isId('or')) {
      this.next();
      const r = this.andExpr(execute);
      const a = truth(v);
      const b = truth(r);
      v = a === true || b === true ? { k: 'bool', b: true }
        : a === false && b === false ? { k: 'bool', b: false } : this.unknown(this.source(start), start.line);
    }
    return v;
  }

  private andExpr(execute: boolean): Value {
    const start = this.peek();
    let v = this.notExpr(execute);
    while (this.isId('and')) {
      this.next();
      const r = this.notExpr(execute);
      const a = truth(v);
      const b = truth(r);
      v = a === false || b === false ? { k: 'bool', b: false }
        : a === true && b === true ? { k: 'bool', b: true } : this.unknown(this.source(start), start.line);
    }
    return v;
  }

  private notExpr(execute: boolean): Value {
    if (this.isId('not')) {
      const start = this.next();
      const v = this.notExpr(execute);
      const b = truth(v);
      return b === undefined ? this.unknown(this.source(start), start.line) : { k: 'bool', b: !b };
    }
    return this.comparison(execute);
  }

  private comparison(execute: boolean): Value {
    const start = this.peek();
    const a = this.additive(execute);
    const t = this.peek();
    const isIn = t.t === 'id' && (t.v === 'in' || (t.v === 'not' && this.toks[this.pos + 1]?.v === 'in'));
    if ((t.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.v)) || isIn) {
      this.next();
      if (t.v === 'not') this.next();
      const b = this.additive(execute);
      if ((t.v === '==' || t.v === '!=') && (a.k === 'str' || a.k === 'num' || a.k === 'bool')
        && (b.k === 'str' || b.k === 'num' || b.k === 'bool')) {
        const eq = a.k === b.k && JSON.stringify(scalar(a)) === JSON.stringify(scalar(b));
        return { k: 'bool', b: t.v === '==' ? eq : !eq };
      }
      return this.unknown(this.source(start), start.line);
    }
    return a;
  }

  private additive(execute: boolean): Value {
    const start = this.peek();
    let v = this.multiplicative(execute);
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      const r = this.multiplicative(execute);
      v = op.v === '+' ? this.add(v, r, start.line) : this.unknown(this.source(start), start.line);
      if (v.k === 'unknown') v = { ...v, text: this.source(start) };
    }
    return v;
  }

  private multiplicative(execute: boolean): Value {
    const start = this.peek();
    let v = this.unary(execute);
    while (this.isOp('/') || this.isOp('*') || this.isOp('%')) {
      const op = this.next();
      const r = this.unary(execute);
      if (op.v === '/' && v.k === 'str' && r.k === 'str') {
        v = { k: 'str', s: path.posix.isAbsolute(r.s) ? r.s : path.join(v.s, r.s), origin: v.origin };
      } else {
        v = this.unknown(this.source(start), start.line);
      }
    }
    return v;
  }

  private unary(execute: boolean): Value {
    if (this.isOp('-')) {
      const start = this.next();
      const v = this.unary(execute);
      return v.k === 'num' ? { k: 'num', n: -v.n } : this.unknown(this.source(start), start.line);
    }
    return this.postfix(execute);
  }

  private postfix(execute: boolean): Value {
    const start = this.peek();
    let v = this.primary(execute);
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const name = this.next();
        if (name.t !== 'id') throw new Unsupported(`expected a method name at line ${name.line}`);
        const args = this.isOp('(') ? this.callArgs(execute) : [];
        v = this.method(v, name.v, args, start);
      } else if (this.isOp('[')) {
        this.next();
        const index = this.expression(execute);
        this.expectOp(']');
        v = v.k === 'arr' && index.k === 'num' ? (v.items.at(index.n) ?? this.unknown(this.source(start), start.line))
          : this.unknown(this.source(start), start.line);
      } else if (this.isOp('(') && v.k === 'unknown') {
        this.callArgs(execute);
        v = this.unknown(this.source(start), start.line);
      } else {
        return v;
      }
    }
  }

  private method(target: Value, name: string, args: Value[], start: Token): Value {
    const arg0 = args[0];
    if (target.k === 'meson') {
      if (name === 'get_compiler' && arg0?.k === 'str' && arg0.s === 'cython') return { k: 'cython' };
      const here = path.dirname(this.file);
      if (name === 'current_source_dir') return { k: 'str', s: here, origin: { file: this.file, line: start.line } };
      if (name === 'project_source_root' || name === 'source_root' || name === 'global_source_root') {
        return { k: 'str', s: this.root, origin: { file: this.file, line: start.line } };
      }
    }
    if (target.k === 'cython' && name === 'version') return { k: 'version', v: MODELLED_CYTHON_VERSION };
    if (target.k === 'version' && name === 'version_compare' && arg0?.k === 'str') {
      const b = versionCompare(target.v, arg0.s);
      if (b !== undefined) return { k: 'bool', b };
    }
    return this.unknown(this.source(start), start.line);
  }

  private callArgs(execute: boolean): Value[] {
    this.expectOp('(');
    const args: Value[] = [];
    while (!this.isOp(')')) {
      if (this.peek().t === 'eof') throw new Unsupported('unclosed call');
      const t = this.peek();
      const after = this.toks[this.pos + 1];
      if (t.t === 'id' && after?.t === 'op' && after.v === ':') { // keyword argument: evaluated, not kept
        this.next();
        this.next();
        this.expression(execute);
      } else {
        args.push(this.expression(execute));
      }
      if (this.isOp(',')) this.next();
      else if (!this.isOp(')')) throw new Unsupported(`expected ',' or ')' at line ${this.peek().line}`);
    }
    this.next();
    return args;
  }

  private primary(execute: boolean): Value {
    const t = this.next();
    const origin = { file: this.file, line: t.line };
    if (t.t === 'str') return { k: 'str', s: t.v, origin };
    if (t.t === 'fstr') return this.unknown(this.text.slice(t.start, t.end), t.line);
    if (t.t === 'num') {
      const n = Number(t.v);
      return Number.isFinite(n) ? { k: 'num', n } : this.unknown(t.v, t.line);
    }
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'bool', b: t.v === 'true' };
      if (t.v === 'meson') return { k: 'meson' };
      if (this.isOp('(')) {
        const args = this.callArgs(execute);
        if (t.v === 'subdir' && execute && args[0]?.k === 'str') this.subdir(args[0].s);
        return this.unknown(this.source(t), t.line);
      }
      return this.vars.get(t.v) ?? this.unknown(t.v, t.line);
    }
    if (t.t === 'op' && t.v === '(') {
      const v = this.expression(execute);
      this.expectOp(')');
      return v;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: Value[] = [];
      while (!this.isOp(']')) {
        if (this.peek().t === 'eof') throw new Unsupported('unclosed array');
        items.push(this.expression(execute));
        if (this.isOp(',')) this.next();
        else if (!this.isOp(']')) throw new Unsupported(`expected ',' or ']' at line ${this.peek().line}`);
      }
      this.next();
      return { k: 'arr', items };
    }
    if (t.t === 'op' && t.v === '{') {
      while (!this.isOp('}')) {
        if (this.peek().t === 'eof') throw new Unsupported('unclosed dictionary');
        this.expression(execute);
        this.expectOp(':');
        this.expression(execute);
        if (this.isOp(',')) this.next();
        else if (!this.isOp('}')) throw new Unsupported(`expected ',' or '}' at line ${this.peek().line}`);
      }
      this.next();
      return { k: 'dict' };
    }
    throw new Unsupported(`unexpected '${t.v}' at line ${t.line}`);
  }

  /** `subdir('x')`: reads x/meson.build when the target folder is in x (variables are shared, as in meson). */
  private subdir(name: string): void {
    const dir = path.resolve(path.dirname(this.file), name);
    const rel = path.relative(dir, this.targetDir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return;
    this.run(path.join(dir, 'meson.build'), this.result.files.length);
  }
}

function scalar(v: Value): unknown {
  return v.k === 'str' ? v.s : v.k === 'num' ? v.n : v.k === 'bool' ? v.b : undefined;
}

function describe(v: Value): string {
  switch (v.k) {
    case 'str': return `'${v.s}'`;
    case 'num': return String(v.n);
    case 'bool': return String(v.b);
    case 'unknown': return v.text;
    default: return v.k;
  }
}
