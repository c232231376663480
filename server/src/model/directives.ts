/**
 * The compiler directives that change how much Python interaction a line generates: bounds and wraparound checks
 * on indexing, the "is this memoryview initialised" check, C division semantics. They come, outermost first, from
 * the caller's defaults (e.g. `cython -X boundscheck=False`), the `# cython: ...` header comments of the file, the
 * `@cython.boundscheck(False)` decorators of classes and functions, and `with cython.boundscheck(False):` blocks.
 */
import { type Node, childrenOfType, field, namedChildren, significantChildren } from './syntax';
import { withItems } from './gil-state';

export interface Directives {
  boundscheck: boolean;
  wraparound: boolean;
  initializedcheck: boolean;
  cdivision: boolean;
  /** Statements after `return`/`raise`/`break`/`continue` are dropped before the GIL check (model/reachability.ts). */
  remove_unreachable: boolean;
  /** Module-level: prange / parallel sections that keep the GIL are not warned about. */
  freethreading_compatible: boolean;
  /** Module-level (Cython 0.29 behaviour): cdef functions without an exception clause are `noexcept`, with a warning. */
  legacy_implicit_noexcept: boolean;
  /**
   * Type inference of untyped locals (TypeInference.py): null (None, the default) is the "safe" inference, true
   * infers C types from every assignment (aggressive_spanning_type), false makes every untyped local an object.
   */
  infer_types: boolean | null;
  /**
   * Module-level: the Python language level the module is parsed with (Main.Context.set_language_level: `2`, `3`,
   * `3str` is 3, any other number as written). Below 3, without `from __future__ import print_function`, `print`
   * is a statement (model/print-statement.ts). The default of Cython 3 is 3.
   */
  language_level: number;
}

export const DEFAULT_DIRECTIVES: Readonly<Directives> = Object.freeze({
  boundscheck: true, wraparound: true, initializedcheck: true, cdivision: false, remove_unreachable: true,
  freethreading_compatible: false, legacy_implicit_noexcept: false, infer_types: null, language_level: 3,
});

const NAMES = new Set<keyof Directives>(['boundscheck', 'wraparound', 'initializedcheck', 'cdivision',
  'remove_unreachable', 'freethreading_compatible', 'legacy_implicit_noexcept', 'infer_types', 'language_level']);

function isDirectiveName(name: string): name is keyof Directives {
  return NAMES.has(name as keyof Directives);
}

type DirectiveValue = boolean | null | number;

/** A directive value: true/false, null for `None` (only `infer_types` takes it), a number (`language_level`). */
function parseValue(name: keyof Directives, value: string): DirectiveValue | undefined {
  if (name === 'language_level') {
    const v = value.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (v === '3str') return 3;
    return /^[+-]?\d+$/.test(v) ? Number.parseInt(v, 10) : undefined;
  }
  if (name === 'infer_types' && value.trim() === 'None') return null;
  return parseBool(value);
}

function parseBool(value: string): boolean | undefined {
  const v = value.trim();
  if (v === 'True' || v === 'true' || v === '1') return true;
  if (v === 'False' || v === 'false' || v === '0') return false;
  return undefined;
}

/** `boundscheck=False, wraparound=False` (a `# cython:` header or `-X name=value` pairs) onto `base`. */
export function applyDirectiveText(base: Readonly<Directives>, text: string): Directives {
  const out: Directives = { ...base };
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!isDirectiveName(name)) continue;
    const value = parseValue(name, part.slice(eq + 1));
    if (value !== undefined) setDirective(out, name, value);
  }
  return out;
}

/** Directives from `-X name=value` style entries (e.g. `{ boundscheck: 'False' }`). */
export function directivesFromEntries(entries: Readonly<Record<string, string>>, base = DEFAULT_DIRECTIVES): Directives {
  return applyDirectiveText(base, Object.entries(entries).map(([k, v]) => `${k}=${v}`).join(','));
}

const HEADER = /^#\s*cython\s*:(.*)$/;

/** The `# cython: ...` comments before the first statement of the module. */
export function fileDirectives(source: string, base: Readonly<Directives>): Directives {
  let out: Directives = { ...base };
  // only the header comments count: read line by line up to the first code line (not the whole text)
  for (let start = 0; start < source.length;) {
    const nl = source.indexOf('\n', start);
    const end = nl === -1 ? source.length : nl;
    const line = source.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    if (!line.startsWith('#')) break;
    const m = HEADER.exec(line);
    if (m) out = applyDirectiveText(out, m[1] ?? '');
  }
  return out;
}

function setDirective(out: Directives, name: keyof Directives, value: DirectiveValue): void {
  if (name === 'language_level') {
    if (typeof value === 'number') out.language_level = value;
  } else if (name === 'infer_types') {
    if (typeof value !== 'number') out.infer_types = value;
  } else if (typeof value === 'boolean') {
    out[name] = value;
  }
}

/** `cython.boundscheck(False)` / `boundscheck(False)` as a decorator or with-item: [name, value]. */
function directiveCall(expr: Node): [keyof Directives, DirectiveValue] | undefined {
  if (expr.type !== 'call') return undefined;
  const fn = field(expr, 'function');
  const args = field(expr, 'arguments');
  if (!fn || !args) return undefined;
  const name = fn.text.replace(/^cython\./, '');
  if (!isDirectiveName(name) || name === 'language_level') return undefined; // module-level only
  const arg = significantChildren(args)[0];
  const value = arg ? parseValue(name, arg.text) : undefined;
  return value === undefined ? undefined : [name, value];
}

/** Directives inside a (possibly decorated) definition. */
export function definitionDirectives(def: Node, outer: Readonly<Directives>): Readonly<Directives> {
  const holder = def.parent?.type === 'decorated_definition' ? def.parent : def;
  const decorators = childrenOfType(holder, 'decorator');
  if (decorators.length === 0) return outer;
  const out: Directives = { ...outer };
  for (const d of decorators) {
    const expr = significantChildren(d)[0];
    const hit = expr ? directiveCall(expr) : undefined;
    if (hit) setDirective(out, hit[0], hit[1]);
  }
  return out;
}

/** Directives inside the body of `with cython.boundscheck(False):`, or undefined for other with statements. */
export function withDirectives(node: Node, outer: Readonly<Directives>): Readonly<Directives> | undefined {
  if (node.type !== 'with_statement') return undefined;
  let out: Directives | undefined;
  for (const item of withItems(node)) {
    const value = field(item, 'value') ?? namedChildren(item)[0];
    const hit = value ? directiveCall(value) : undefined;
    if (hit) {
      out ??= { ...outer };
      setDirective(out, hit[0], hit[1]);
    }
  }
  return out;
}

export function directivesKey(d: Readonly<Directives>): string {
  return `${+d.boundscheck}${+d.wraparound}${+d.initializedcheck}${+d.cdivision}${+d.remove_unreachable}${+d.freethreading_compatible}${+d.legacy_implicit_noexcept}${String(d.infer_types)[0]}${d.language_level}`;
}
