/** The `syntax` check: one error diagnostic per parse-error region. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { offsetRange } from '../text/positions';
import { findSyntaxErrors } from './syntax-errors';

export const SYNTAX_ERROR_CODE = 'syntax';

export const syntaxErrorCheck: DocumentCheck = {
  id: SYNTAX_ERROR_CODE,
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
        severity: DiagnosticSeverity.Error,
        code: SYNTAX_ERROR_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: region.message,
      };
    });
  },
};
