/** Applies `cythonLens.severityOverrides` (diagnostic code -> severity or 'off'). */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { SeverityName, SeverityOverride } from '../../../shared/src/protocol';

const TO_LSP: Record<SeverityName, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function severityFromName(name: SeverityName): DiagnosticSeverity {
  return TO_LSP[name];
}

export function severityName(severity: DiagnosticSeverity | undefined): SeverityName {
  switch (severity) {
    case DiagnosticSeverity.Warning:
      return 'warning';
    case DiagnosticSeverity.Information:
      return 'information';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'error'; // LSP: a missing severity is treated as an error by clients
  }
}

export function applySeverityOverrides(
  diagnostics: Diagnostic[],
  overrides: Record<string, SeverityOverride>,
): Diagnostic[] {
  if (Object.keys(overrides).length === 0) return diagnostics;
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const override = d.code === undefined ? undefined : overrides[String(d.code)];
    if (override === 'off') continue;
    out.push(override ? { ...d, severity: TO_LSP[override] } : d);
  }
  return out;
}
