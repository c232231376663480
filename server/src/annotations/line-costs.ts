/**
 * The unit of a `cython -a` estimate: points on a source line, with the reason the compiler would spend them.
 * Points follow Cython/Compiler/Annotate.py: every `Py*_*` C-API call in the generated C counts 5, every `__Pyx_*`
 * helper call 2, every macro (`__Pyx_INCREF`, `PyTuple_SET_ITEM`...) 1.
 */
import type { LineAnnotation } from '../../../shared/src/protocol';

/** A `Py<Type>_<Name>()` C-API call. */
export const PY_CALL = 5;
/** A `__Pyx_<Name>()` utility-code call. */
export const PYX_CALL = 2;
/** A macro such as `__Pyx_DECREF()` or `PyTuple_SET_ITEM()`. */
export const MACRO = 1;

export interface LineCost {
  /** Zero-based line. */
  line: number;
  points: number;
  reason: string;
}

/** Collects costs per line; `scale` multiplies everything added (fused specialisations are generated once each). */
export class CostSink {
  readonly costs: LineCost[] = [];
  scale = 1;
  /**
   * The line the compiler is "at" (its last `mark_pos`): code generated without a position of its own, like the
   * call after its arguments were evaluated, is attributed to the line of the last code before it.
   */
  cursor = 0;

  /** Costs at `line`, which becomes the current line. */
  add(line: number, points: number, reason: string): void {
    this.cursor = line;
    if (points <= 0) return;
    this.costs.push({ line, points: points * this.scale, reason });
  }

  /** Costs at the current line. */
  here(points: number, reason: string): void {
    this.add(this.cursor, points, reason);
  }

  /** Moves the current line without adding costs (a statement starts). */
  mark(line: number): void {
    this.cursor = line;
  }

  /** Runs `fn` with every cost multiplied by `factor` (nested scales multiply). */
  scaled<T>(factor: number, fn: () => T): T {
    const saved = this.scale;
    this.scale = saved * factor;
    try {
      return fn();
    } finally {
      this.scale = saved;
    }
  }
}

/** Merges costs into one annotation per line: points summed, each reason listed once in first-seen order. */
export function toAnnotations(costs: readonly LineCost[]): LineAnnotation[] {
  return groupByLine(costs).filter((a) => a.score > 0).sort((a, b) => a.line - b.line);
}

/** Costs grouped by line (points summed, each reason once, first-seen order), lines in order of first appearance. */
export function groupByLine(costs: readonly LineCost[]): LineAnnotation[] {
  const byLine = new Map<number, LineAnnotation>();
  for (const c of costs) {
    let a = byLine.get(c.line);
    if (!a) {
      a = { line: c.line, score: 0, reasons: [] };
      byLine.set(c.line, a);
    }
    a.score += c.points;
    if (!a.reasons.includes(c.reason)) a.reasons.push(c.reason);
  }
  return [...byLine.values()];
}

/**
 * What Annotate.py counts for a call of a C function by its name alone (cimported C-API functions such as
 * numpy's `PyArray_SimpleNewFromData` or the `PyArray_SHAPE` macro): 5, 2, 1, or 0 for other names.
 */
export function apiNameCost(name: string): number {
  if (/^__Pyx_[A-Z][A-Z_]+$/.test(name)) return MACRO;
  if (/^__Pyx_[A-Z][a-z_]/.test(name)) return PYX_CALL;
  if (/^Py[A-Z][a-z]+_[A-Z][A-Z_]+$/.test(name)) return MACRO;
  if (/^Py[A-Z][a-z]+_[A-Z][a-z][A-Za-z_]*$/.test(name)) return PY_CALL;
  return 0;
}
