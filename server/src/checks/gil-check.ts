/**
 * The `gil` check: builds the document's semantic model and runs every GIL rule (checks/gil/) over it, turning
 * findings into diagnostics with the compiler's messages and a pointer to what released the GIL.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, type CheckContext, type DocumentCheck, type TreeDocument } from '../engine/check-types';
import { analysisEnvironment } from '../model/analysis-environment';
import { documentModel } from '../model/document-model';
import { nodeRange } from '../text/positions';
import { gilRules } from './gil';
import { GilWalker } from './gil/gil-walker';
import type { Finding } from './gil/rule';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

export const UNRESOLVED_CIMPORT_CODE = 'unresolved-cimport';

export const gilCheck: DocumentCheck = {
  id: 'gil',
  run(doc: TreeDocument, ctx: CheckContext): Diagnostic[] {
    const model = documentModel(doc, ctx.settings.includeDirs);
    const walker = new GilWalker(model, gilRules, () => ctx.isCancelled());
    const findings = walker.walkModule(doc.tree.rootNode);
    const out: Diagnostic[] = findings.map((f) => toDiagnostic(doc, f));
    const seen = new Set<string>();
    for (const u of model.declarations.unresolved) {
      if (seen.has(u.module)) continue;
      seen.add(u.module);
      const env = analysisEnvironment.pythonEnvironment;
      const where = env?.error ? ` (${env.error})` : '';
      out.push({
        range: nodeRange(doc, u.node), severity: DiagnosticSeverity.Information, code: UNRESOLVED_CIMPORT_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: `Cannot find the .pxd for \`${u.module}\`${where}: names cimported from it are unknown, so GIL checks `
          + 'that depend on them are skipped. Add its folder to cythonLens.includeDirs.',
      });
    }
    return out;
  },
};

function toDiagnostic(doc: TreeDocument, f: Finding): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  if (f.releasedBy && f.severity !== 'warning') {
    const header = f.releasedBy;
    const what = header.type === 'gil_spec' ? 'the function is declared nogil here' : 'the GIL is released here';
    related.push({ location: { uri: doc.uri, range: nodeRange(doc, header) }, message: what });
  }
  for (const r of f.related ?? []) {
    related.push({
      location: { uri: r.location.uri, range: { start: { line: r.location.line, character: r.location.character },
        end: { line: r.location.endLine, character: r.location.endCharacter } } },
      message: r.message,
    });
  }
  const d: Diagnostic = {
    range: nodeRange(doc, f.node), severity: SEVERITY[f.severity], code: f.code, source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (related.length) d.relatedInformation = related;
  if (f.data) d.data = f.data;
  return d;
}
