/** What `cython-lens check` reports per file (printed as JSON, or converted to SARIF by sarif.ts). */
import type { SeverityName } from '../../../shared/src/protocol';

export interface CliDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: SeverityName;
  code: string;
  message: string;
}

export interface CliFileReport {
  file: string;
  diagnostics: CliDiagnostic[];
  annotations?: { line: number; score: number }[];
}
