/** Every quick-fix provider, in the order their actions are listed for one diagnostic. */
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { isDiagnosticCode } from '../../../shared/src/diagnostic-codes';
import { DIAGNOSTIC_SOURCE } from '../engine/check-types';
import { addAddressOf } from './add-address-of';
import { copyBeforeCall } from './copy-before-call';
import { declareNoexcept } from './declare-noexcept';
import { explicitExceptionValue } from './explicit-exception-value';
import type { FixContext, QuickFixProvider } from './fix-context';
import { hoistGilTransition } from './hoist-gil-transition';
import { insertConsume } from './insert-consume';
import { makeFunctionNogil } from './make-function-nogil';
import { moveNogilToEnd } from './move-nogil-to-end';
import { typeIndexVariable } from './type-index-variable';
import { wrapInWithGil } from './wrap-in-with-gil';
import { wrapInWithWlocked } from './wrap-in-with-wlocked';

export const quickFixProviders: readonly QuickFixProvider[] = [
  makeFunctionNogil, declareNoexcept, explicitExceptionValue, moveNogilToEnd, hoistGilTransition, typeIndexVariable,
  addAddressOf, wrapInWithGil, insertConsume, wrapInWithWlocked, copyBeforeCall,
];

/** The quick fixes for one diagnostic of ours (with `onlySafe`, only from providers that may give safe ones). */
export function quickFixesFor(d: Diagnostic, ctx: FixContext, onlySafe = false): CodeAction[] {
  if (d.source !== undefined && d.source !== DIAGNOSTIC_SOURCE) return [];
  const code = isDiagnosticCode(d.code) ? d.code : undefined;
  const out: CodeAction[] = [];
  for (const p of quickFixProviders) {
    if (!p.codes.includes('*') && (code === undefined || !p.codes.includes(code))) continue;
    if (onlySafe && !p.mayBeSafe) continue;
    out.push(...p.provide(d, ctx));
  }
  return out;
}
