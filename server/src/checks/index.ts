/**
 * The registry of analyses run by the Engine (LSP server and CLI alike), in order.
 * Add a check: implement `DocumentCheck` (or `LineAnnotator`) from ../engine/check-types in its own file
 * and list it here.
 */
import type { DocumentCheck, LineAnnotator } from '../engine/check-types';
import { syntaxErrorCheck } from '../tree/syntax-error-check';
import { callArgumentsCheck } from './call-arguments';
import { gilCheck } from './gil-check';
import { staticAnnotator } from '../annotations/static-annotator';

export const documentChecks: readonly DocumentCheck[] = [syntaxErrorCheck, gilCheck, callArgumentsCheck];

export const lineAnnotators: readonly LineAnnotator[] = [staticAnnotator];
