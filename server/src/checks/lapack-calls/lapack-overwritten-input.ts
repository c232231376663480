/**
 * `lapack-overwritten-input` (information): a matrix the routine overwrites with something else is read after the
 * call as if it still held the input. `dgelss` leaves A's right singular vectors in A, `dgesv` its LU factors,
 * `dgelsd` destroys it: an element read of `a` after the call (before anything writes it again), or the same call
 * on the next turn of a loop, sees that instead of the matrix passed. Said for the in,out floating-point arrays of a
 * routine that returns its result elsewhere (another argument is "On exit, the solution ...") or whose documentation
 * says the array is destroyed, passed as a local memoryview (`&a[0, 0]`); the message quotes LAPACK's "On exit".
 * The quick fix "copy before the call" (code-actions/copy-before-call.ts) passes a copy instead, when the
 * memoryview's order is known; the data of the diagnostic says how.
 */
import { type LapackParam, normaliseParamName } from '../../lapack/database';
import { type Node, field } from '../../model/syntax';
import type { LapackCallRule, LapackFinding } from './rule';

/** Floating-point arrays (`d *`, `s *`, `c *`, `z *`): the matrices and vectors whose values a routine replaces. */
const FLOATING = /^[sdcz] \*$/;

/** `On exit, ...` of a parameter's documentation, one paragraph, whitespace flattened. */
export function exitText(doc: string | undefined): string | undefined {
  if (doc === undefined) return undefined;
  const at = doc.search(/\bOn exit\b/i);
  if (at < 0) return undefined;
  return doc.slice(at).split(/\n\s*\n/)[0].replace(/\s+/g, ' ').trim();
}

/** Whether the routine's result is another argument: an in,out array holding "the solution" on exit. */
function solvesElsewhere(params: readonly LapackParam[], param: LapackParam): boolean {
  return params.some((p) => p !== param && p.intent === 'in,out' && /\bsolution\b/i.test(exitText(p.doc) ?? ''));
}

/** The in,out arrays whose exit value is not what a caller reads them for: by-products or destroyed. */
export function overwrittenInput(params: readonly LapackParam[], param: LapackParam): string | undefined {
  if (param.intent !== 'in,out' || !FLOATING.test(param.type)) return undefined;
  const exit = exitText(param.doc);
  if (exit === undefined || /\bunchanged\b/i.test(exit)) return undefined;
  const destroyed = /^On exit,\s*(?:\w+\s+(?:has been|is)\s+)?destroyed\b/i.test(exit);
  if (destroyed) return exit;
  if (!/\bOn entry\b/i.test(param.doc ?? '') || /\bsolution\b/i.test(exit)) return undefined;
  return solvesElsewhere(params, param) ? exit : undefined;
}

/** `a` of `&a[0, 0]` / `&a[0]`. */
function baseOf(arg: Node): string | undefined {
  if (arg.type !== 'address_of') return undefined;
  const inner = field(arg, 'value');
  const base = inner?.type === 'subscript' ? field(inner, 'value') : null;
  return base?.type === 'identifier' ? base.text : undefined;
}

/** At most two sentences of the exit text. */
function quote(exit: string): string {
  const sentences = exit.match(/[^.]+(?:\.(?=\s|$)|$)/g) ?? [exit];
  const text = sentences.slice(0, 2).join('').trim();
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

export const lapackOverwrittenInput: LapackCallRule = {
  code: 'lapack-overwritten-input',
  check(facts) {
    const out: LapackFinding[] = [];
    const routine = facts.routine.name.toUpperCase();
    for (const arg of facts.args) {
      const exit = overwrittenInput(facts.routine.params, arg.param);
      const name = exit === undefined ? undefined : baseOf(arg.node);
      if (exit === undefined || name === undefined) continue;
      const use = facts.values.overwrittenUse(name, facts.call, arg.node);
      if (!use) continue;
      const upper = normaliseParamName(arg.param.name).toUpperCase();
      const line = facts.call.startPosition.row + 1;
      const message = use.again
        ? `${name} is passed to ${routine} again on the next turn of the loop, but the previous call overwrote it ` +
          `(${upper}): ${quote(exit)} Copy it before the call if the input is needed again`
        : `${use.node.text} reads ${name} after ${routine} (line ${line}) overwrote it (${upper}): ${quote(exit)} ` +
          `Copy it before the call if the input is needed here`;
      const view = facts.values.memoryview(name, arg.node);
      const copy = view?.kind === 'memoryview' ? copyOf(view.element, view.ndim, view.order) : undefined;
      out.push({ code: 'lapack-overwritten-input', node: use.node, message,
        fix: copy && { argument: arg.node, name, routine, ...copy } });
    }
    return out;
  },
};

/** How to copy a memoryview keeping its layout: the copy's declared type and the memoryview method. */
function copyOf(element: string, ndim: number, order: string | undefined): { type: string; method: string } | undefined {
  if (!/^[\w ]+$/.test(element)) return undefined;
  if (ndim === 1 && order === 'C') return { type: `${element}[::1]`, method: 'copy' };
  if (ndim === 2 && order === 'C') return { type: `${element}[:, ::1]`, method: 'copy' };
  if (ndim === 2 && order === 'F') return { type: `${element}[::1, :]`, method: 'copy_fortran' };
  return undefined;
}
