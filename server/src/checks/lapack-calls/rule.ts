/** What a LAPACK call rule is: given the facts of one call, its findings (each on one argument). */
import type { DiagnosticCode } from '../../../../shared/src/diagnostic-codes';
import type { Node } from '../../model/syntax';
import type { CallFacts } from './call-facts';

export interface LapackFinding {
  readonly code: DiagnosticCode;
  readonly node: Node;
  readonly message: string;
  /** A mechanical fix: pass a copy of the memoryview `name` for `argument` (code-actions/copy-before-call.ts). */
  readonly fix?: { readonly argument: Node; readonly name: string; readonly routine: string; readonly type: string;
    readonly method: string };
}

export interface LapackCallRule {
  readonly code: DiagnosticCode;
  check(facts: CallFacts): LapackFinding[];
}

/** LAPACK says the argument may be ignored (`If JOBVL = 'N', VL is not referenced`): a dummy may be passed. */
export function mayBeUnreferenced(doc: string | undefined): boolean {
  return doc !== undefined && /\bnot\s+(?:referenced|used|accessed|set)\b|\bmay be NULL\b|\bdummy\b/i.test(doc);
}
