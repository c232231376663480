/** The `syntax` check: one error diagnostic per parse-error region. */
import type { Diagnostic } from 'vscode-languageserver';
import type { DiagnosticCode } from '../../../shared/src/diagnostic-codes';
import { DIAGNOSTIC_SOURCE, defaultSeverity, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { offsetRange } from '../text/positions';
import { findSyntaxErrors } from '../tree/syntax-errors';

export const SYNTAX_ERROR_CODE = 'syntax' satisfies DiagnosticCode;

export const syntaxErrorCheck: DocumentCheck = {
  id: SYNTAX_ERROR_CODE,
  codes: [SYNTAX_ERROR_CODE],
  run(doc: TreeDocument): Diagnostic[] {
    return findSyntaxErrors(doc.tree).map((region) => {
      // Squiggle the first line of a multi-line region only; the message names the construct.
      let end = region.endIndex;
      if (region.end.row > region.start.row) {
        const lineEnd = doc.text.slice(region.startIndex, region.endIndex).search(/[\r\n]/);
        if (lineEnd > 0) end = region.startIndex + lineEnd;
      }
      return {
        range: offsetRange(doc, region.startIndex, end),
        severity: defaultSeverity(SYNTAX_ERROR_CODE),
        code: SYNTAX_ERROR_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: region.message,
      };
    });
  },
};
