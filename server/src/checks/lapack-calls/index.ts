/**
 * The LAPACK/BLAS call contract checks (issue 16): one rule per file, run on the facts of each routine call the
 * call-arguments check finds (call-facts.ts), with sizes reasoned about symbolically (symbolic.ts) from the code of
 * the function around the call (body-values.ts). Every rule says nothing when a size or order is unknown.
 */
import type { LapackRoutine } from '../../lapack/database';
import type { Node } from '../../model/syntax';
import type { BodyValues } from './body-values';
import { callFacts } from './call-facts';
import { lapackBufferSize } from './lapack-buffer-size';
import { lapackLeadingDimension } from './lapack-leading-dimension';
import { lapackInfoUnchecked } from './lapack-info-unchecked';
import { lapackMemoryOrder } from './lapack-memory-order';
import { lapackOverwrittenInput } from './lapack-overwritten-input';
import { lapackWorkspace } from './lapack-workspace';
import type { LapackCallRule, LapackFinding } from './rule';

export { BodyValues } from './body-values';
export { callFacts, type CallFacts } from './call-facts';
export type { LapackFinding } from './rule';

export const lapackCallRules: readonly LapackCallRule[] = [lapackMemoryOrder, lapackBufferSize, lapackLeadingDimension, lapackInfoUnchecked,
  lapackOverwrittenInput, lapackWorkspace];

export function checkLapackCall(routine: LapackRoutine, call: Node, argNodes: readonly Node[], values: BodyValues): LapackFinding[] {
  const facts = callFacts(routine, call, argNodes, values);
  return lapackCallRules.flatMap((r) => r.check(facts));
}
