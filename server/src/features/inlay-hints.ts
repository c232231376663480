/**
 * Inlay hints from the model: the C type Cython infers for an untyped local where it is first bound (`x = a[i]`
 * → `x: double`; `: object` where inference gives up and the line turns yellow), and the exception specification a
 * `cdef` function gets when none is written (` except? -1`, ` except *`: every call then checks for an exception).
 * Each kind can be turned off (`cythonLens.inlayHints.*`).
 */
import { type InlayHint, InlayHintKind, type InlayHintParams } from 'vscode-languageserver';
import { exceptionClauseOffset } from '../model/function-header';
import { type CType, typeToString } from '../model/c-types';
import { contextAt } from '../model/document-model';
import { type Node, field, namedChildren } from '../model/syntax';
import { analyseDocument, type DocumentAnalysis, guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';

const FUNCTIONS = new Set(['function_definition', 'c_function_definition']);
/** Names bound by these are not variables whose type is inferred. */
const NOT_INFERRED = new Set(['c_declarator', 'function_definition', 'class_definition', 'c_function_definition',
  'cdef_class_definition', 'decorated_definition', 'typed_parameter', 'typed_default_parameter', 'c_parameter',
  'parameters', 'default_parameter', 'global_statement', 'nonlocal_statement', 'aliased_import', 'dotted_name']);

function typeLabel(t: CType): string | undefined {
  if (t.kind === 'unknown' || t.kind === 'func') return undefined;
  return typeToString(t);
}

export function inlayHints(a: DocumentAnalysis, start: number, end: number,
  want: { inferredTypes: boolean; exceptionSpecs: boolean }): InlayHint[] {
  const out: InlayHint[] = [];
  const doc = a.doc;
  const visit = (node: Node): void => {
    for (const c of namedChildren(node)) {
      if (c.endIndex < start || c.startIndex > end) continue;
      if (FUNCTIONS.has(c.type)) functionHints(c);
      visit(c);
    }
  };
  const functionHints = (fn: Node): void => {
    const body = field(fn, 'body');
    if (!body) return;
    const ctx = contextAt(a.model, a.tree.rootNode, body.startIndex);
    if (want.exceptionSpecs && fn.type === 'c_function_definition') {
      const outer = contextAt(a.model, a.tree.rootNode, fn.startIndex);
      const sig = a.model.signatureOf(fn, outer.cls);
      const e = sig?.exception;
      const label = !e || sig.origin === 'extern' ? undefined : e.kind === 'query' && !e.explicit ? ` except? ${e.value}`
        : e.kind === 'star' && !e.explicit ? ' except *' : undefined;
      const at = exceptionClauseOffset(fn);
      if (sig && e && label && at >= start && at <= end) {
        const when = e.kind === 'query' ? ` when it returns ${e.value}` : '';
        out.push({ position: doc.textDocument.positionAt(at), label, kind: InlayHintKind.Type, paddingLeft: false,
          tooltip: { kind: 'markdown', value: `Cython's default exception specification for \`${sig.name}\`: every `
            + `call checks for a Python exception${when}. Declare it `
            + '`noexcept` if it never raises.' } });
      }
    }
    if (!want.inferredTypes || !ctx.fn) return;
    for (const sym of ctx.scope.symbols.values()) {
      if (sym.binding !== 'local' || !sym.location || sym.location.uri !== a.model.uri) continue;
      const offset = doc.textDocument.offsetAt({ line: sym.location.line, character: sym.location.character });
      if (offset < start || offset > end) continue;
      const id = a.tree.rootNode.descendantForIndex(offset, offset);
      if (!id || id.type !== 'identifier' || id.text !== sym.name) continue;
      if (id.parent && NOT_INFERRED.has(id.parent.type)) continue;
      // an annotated assignment (`x: cython.int = 0`) states its type
      if (id.parent?.type === 'assignment' && field(id.parent, 'type')) continue;
      const label = typeLabel(sym.type);
      if (!label) continue;
      out.push({ position: doc.textDocument.positionAt(id.endIndex), label: `: ${label}`, kind: InlayHintKind.Type,
        tooltip: label === 'object' || sym.type.kind === 'py'
          ? `Cython keeps \`${sym.name}\` a Python object (${label}): operations on it go through the Python C API.`
          : `Cython infers the C type ${label} for \`${sym.name}\`.` });
    }
  };
  visit(a.tree.rootNode);
  return out.sort((x, y) => x.position.line - y.position.line || x.position.character - y.position.character);
}

export async function inlayHintsFor(deps: FeatureDeps, params: InlayHintParams): Promise<InlayHint[] | null> {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string' || !params.range) return null;
  let want = { inferredTypes: true, exceptionSpecs: true };
  try {
    want = (await deps.settings(uri)).inlayHints ?? want;
  } catch {
    // defaults
  }
  if (!want.inferredTypes && !want.exceptionSpecs) return [];
  const a = await analyseDocument(deps, uri);
  if (!a) return null;
  const start = a.doc.textDocument.offsetAt(params.range.start);
  const end = a.doc.textDocument.offsetAt(params.range.end);
  return inlayHints(a, start, end, want);
}

export const inlayHintFeature: Feature = {
  id: 'inlay-hints',
  capabilities: { inlayHintProvider: true },
  register(connection, deps) {
    connection.languages.inlayHint.on((p) => guarded(deps, 'inlayHint', null, () => inlayHintsFor(deps, p)));
  },
};
