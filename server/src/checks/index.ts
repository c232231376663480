/**
 * The registry of analyses the Engine is given (by the LSP server and the CLI alike), in order.
 * Add a check: implement `DocumentCheck` (or `LineAnnotator`) from ../engine/check-types in its own file
 * and list it here.
 */
import type { DocumentCheck, LineAnnotator } from '../engine/check-types';
import { syntaxErrorCheck } from './syntax-error-check';
import { callArgumentsCheck } from './call-arguments';
import { gilCheck } from './gil-check';
import { directiveCheck } from './directive-check';
import { cypclassCheck } from './cypclass-check';
import { staticAnnotator } from '../annotations/static-annotator';

export const documentChecks: readonly DocumentCheck[] = [syntaxErrorCheck, gilCheck, callArgumentsCheck, directiveCheck,
  cypclassCheck];

export const lineAnnotators: readonly LineAnnotator[] = [staticAnnotator];

/** The analyses the server and the CLI give the Engine: `Engine.create({ ...analyses, log })`. */
export const analyses = { checks: documentChecks, annotators: lineAnnotators } as const;
