/**
 * What a directive rule sees (the document's `# cython:` comments and its directive decorators and with items) and
 * what it reports (offsets and a message). One rule per file in this folder; the registry is ../directive-check.ts.
 */
import type { DiagnosticCode } from '../../../../shared/src/diagnostic-codes';
import type { DirectiveComment } from '../../model/directive-comments';
import type { DirectiveUse } from '../../model/directive-uses';

export interface DirectiveRuleInput {
  readonly text: string;
  readonly comments: readonly DirectiveComment[];
  readonly uses: readonly DirectiveUse[];
}

export interface DirectiveFinding {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface DirectiveRule {
  readonly code: DiagnosticCode;
  find(input: DirectiveRuleInput): DirectiveFinding[];
}

/** The closest directive-like name within two edits, for "did you mean". */
export function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const n of names) {
    const d = editDistance(name, n, bestDistance);
    if (d < bestDistance) { best = n; bestDistance = d; }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
