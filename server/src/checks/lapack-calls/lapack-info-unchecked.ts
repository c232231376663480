/**
 * `lapack-info-unchecked` (hint): the INFO of a routine that can fail (its documentation has an `INFO > 0` case: a
 * singular matrix, no convergence) is never read after the call, so a failure goes unnoticed and the outputs are used
 * as if it had succeeded. Said only for a local variable passed as `&info` that nothing reads later (nor earlier in a
 * loop around the call).
 */
import { normaliseParamName } from '../../lapack/database';
import { field } from '../../model/syntax';
import type { LapackCallRule, LapackFinding } from './rule';

export const lapackInfoUnchecked: LapackCallRule = {
  code: 'lapack-info-unchecked',
  check(facts) {
    const out: LapackFinding[] = [];
    const arg = facts.args.find((a) => normaliseParamName(a.param.name) === 'info');
    if (!arg || arg.node.type !== 'address_of' || !/>\s*0\s*:/.test(arg.param.doc ?? '')) return out;
    const inner = field(arg.node, 'value');
    if (inner?.type !== 'identifier' || !facts.values.isLocal(inner.text)) return out;
    if (facts.values.readAfter(inner.text, facts.call)) return out;
    out.push({ code: 'lapack-info-unchecked', node: arg.node,
      message: `${inner.text} is never read after ${facts.routine.name.toUpperCase()}: a failure (INFO > 0: ` +
        `${failureText(arg.param.doc ?? '')}) goes unnoticed` });
    return out;
  },
};

/** The first line of the documented `> 0` case. */
function failureText(doc: string): string {
  const m = />\s*0\s*:\s*([^\n]*)/.exec(doc);
  return (m?.[1] ?? '').trim().split(/\.\s/)[0].replace(/[.;,]$/, '').slice(0, 120);
}
