/**
 * What-if: the line scores a yellow line and its function would get with one more directive (boundscheck=False,
 * cdivision=True, ...). Nothing is looked up in a table: the same annotator is run again with the directive forced
 * where a quick fix would set it, either after the enclosing function's own decorators (a new
 * `@cython.<directive>(value)` decorator; `with` blocks inside still override it, as in the compiler) or after the
 * file's `# cython:` comments (a header line; decorators and `with` blocks still override it).
 * A candidate is offered only where the re-run lowers the line's score.
 */
import type { LineAnnotation } from '../../../shared/src/protocol';
import { type DefinitionUnit, definitionUnits } from '../engine/definition-units';
import type { ModuleModel } from '../model/module-model';
import { type Node, field, significantChildren } from '../model/syntax';
import { type Directives, fileDirectives } from './directives';
import { type LineCost, toAnnotations } from './line-costs';
import { moduleInitCosts, unitCosts } from './static-annotator';

export type WhatIfName = 'boundscheck' | 'wraparound' | 'initializedcheck' | 'cdivision';

export interface WhatIfDirective {
  name: WhatIfName;
  value: boolean;
  /** What the directive gives up, in one sentence. */
  givesUp: string;
}

/**
 * The directives that trade a runtime check for speed. (`nonecheck` is off by default, and exception checks are
 * part of a function's declaration (`noexcept`), not a directive of the calling code: neither is offered here.)
 */
export const WHAT_IF_DIRECTIVES: readonly WhatIfDirective[] = [
  { name: 'boundscheck', value: false,
    givesUp: 'an out-of-bounds index is no longer caught (memory corruption or a crash, not IndexError)' },
  { name: 'wraparound', value: false,
    givesUp: 'negative indices no longer count from the end (`a[-1]` reads before the buffer)' },
  { name: 'initializedcheck', value: false,
    givesUp: 'an unassigned memoryview is no longer caught (a crash, not an error)' },
  { name: 'cdivision', value: true,
    givesUp: 'division by zero is no longer caught, and `//` / `%` of negative C integers round as in C' },
];

export type WhatIfWhere = 'function' | 'file';

export interface WhatIfOption {
  directive: WhatIfDirective;
  where: WhatIfWhere;
  /** The line's predicted score with the directive set there. */
  lineScore: number;
  /** The total score of the enclosing function (of the line's top-level statement at module level), before and after. */
  totalBefore: number;
  totalAfter: number;
}

export interface WhatIfFunction {
  /** The function definition (undecorated). */
  def: Node;
  /** The decorated definition when it has decorators, else `def`. */
  holder: Node;
  name: string;
}

export interface WhatIf {
  line: number;
  score: number;
  /** The innermost function around the line (undefined at module or class level: only the file header applies). */
  fn: WhatIfFunction | undefined;
  options: WhatIfOption[];
}

const FUNCTIONS = new Set(['function_definition', 'c_function_definition']);

/** The innermost function definition whose body holds `line` (its def line included). */
export function enclosingFunction(root: Node, line: number): WhatIfFunction | undefined {
  const text = lineText(root, line);
  const column = text.length - text.trimStart().length;
  let node: Node | null = root.descendantForPosition({ row: line, column });
  for (; node; node = node.parent) {
    if (!FUNCTIONS.has(node.type)) continue;
    const holder = node.parent?.type === 'decorated_definition' ? node.parent : node;
    return { def: node, holder, name: field(node, 'name')?.text ?? nameOf(node) };
  }
  return undefined;
}

function nameOf(def: Node): string {
  // a cdef function's name sits in its declarator
  const m = /(\w+)\s*\(/.exec(def.text.split('\n')[0] ?? '');
  return m?.[1] ?? 'function';
}

function lineText(root: Node, line: number): string {
  const lines = root.text.split('\n', line + 1);
  return lines[line] ?? '';
}

/** The unit (engine/definition-units.ts) whose results hold `line`, if any. */
function unitAt(root: Node, line: number): DefinitionUnit | undefined {
  const statement = significantChildren(root).find((s) => s.startPosition.row <= line && line <= s.endPosition.row);
  if (!statement) return undefined;
  const units = definitionUnits(statement);
  return units.find((u) => u.rows && u.rows.first <= line && line <= u.rows.last) ?? units[0];
}

const total = (costs: readonly LineCost[], first: number, last: number): number =>
  costs.reduce((n, c) => (c.line >= first && c.line <= last ? n + c.points : n), 0);
const at = (costs: readonly LineCost[], line: number): number => total(costs, line, line);

/**
 * The what-if of a line: its score now and, per directive that lowers it, the predicted line score and the total of
 * its function, with the directive on the function (a decorator) and in the file header. `build` are the build's
 * directives (settings / -X) on top of the compiler's defaults, as the annotator uses them.
 */
export function whatIfAt(model: ModuleModel, root: Node, source: string, build: Readonly<Directives>, line: number):
  WhatIf | undefined {
  const unit = unitAt(root, line);
  if (!unit) return undefined;
  const fileDirs = fileDirectives(source, build);
  const before = unitCosts(model, unit, fileDirs);
  const score = at(before, line);
  if (score <= 0) return undefined;
  const fn = enclosingFunction(root, line);
  const [first, last] = fn ? [fn.holder.startPosition.row, fn.holder.endPosition.row]
    : [unit.node.startPosition.row, unit.node.endPosition.row];
  const totalBefore = total(before, first, last);
  const options: WhatIfOption[] = [];
  for (const directive of WHAT_IF_DIRECTIVES) {
    const set: Partial<Directives> = { [directive.name]: directive.value };
    if (fn) {
      const after = unitCosts(model, unit, fileDirs, { id: fn.def.id, set });
      const lineScore = at(after, line);
      if (lineScore < score) options.push({ directive, where: 'function', lineScore, totalBefore, totalAfter: total(after, first, last) });
    }
    if (fileDirs[directive.name] === directive.value) continue;
    const after = unitCosts(model, unit, { ...fileDirs, ...set });
    const lineScore = at(after, line);
    if (lineScore < score) options.push({ directive, where: 'file', lineScore, totalBefore, totalAfter: total(after, first, last) });
  }
  return { line, score, fn, options };
}

/**
 * The whole module's line scores with `set` in the file header (after its `# cython:` comments): what the file
 * option of the what-if predicts for every line (conformance/whatif.py compares it with `cython -a`).
 */
export function rescoredModule(model: ModuleModel, root: Node, source: string, build: Readonly<Directives>,
  set: Readonly<Partial<Directives>>): LineAnnotation[] {
  const fileDirs = { ...fileDirectives(source, build), ...set };
  const costs: LineCost[] = [...moduleInitCosts(significantChildren(root))];
  for (const s of significantChildren(root)) for (const unit of definitionUnits(s)) costs.push(...unitCosts(model, unit, fileDirs));
  return toAnnotations(costs);
}

/** The functions of a module (every def / cdef / cpdef, nested ones included) with their rows (decorators included). */
export function moduleFunctions(root: Node): { name: string; first: number; last: number }[] {
  const out: { name: string; first: number; last: number }[] = [];
  const visit = (n: Node): void => {
    if (FUNCTIONS.has(n.type)) {
      const holder = n.parent?.type === 'decorated_definition' ? n.parent : n;
      out.push({ name: field(n, 'name')?.text ?? nameOf(n), first: holder.startPosition.row, last: holder.endPosition.row });
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(root);
  return out;
}
