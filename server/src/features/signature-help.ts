/**
 * Signature help while a call is typed (`dgelss(` … `,`): for BLAS/LAPACK routines scipy's declaration with each
 * parameter's C type, intent and LAPACK documentation; for other C functions known to the model, their parameters.
 */
import type {
  ParameterInformation, SignatureHelp, SignatureHelpParams, SignatureInformation,
} from 'vscode-languageserver';
import { routineSignatureInformation } from '../lapack';
import { type FunctionSignature, exceptionToString, typeToString } from '../model/c-types';
import { contextAt } from '../model/document-model';
import { callAtCursor } from './call-at-cursor';
import { resolveCalleeName } from './callee-lookup';
import { analyseDocument, guarded, offsetOf } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { describeException, describeGilRequirement } from './hover-content';
import { lapackTypedefs } from '../lapack/symbols';

export async function signatureHelpAt(deps: FeatureDeps, params: SignatureHelpParams): Promise<SignatureHelp | null> {
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string' || !params.position) return null;
  const analysis = await analyseDocument(deps, uri);
  if (!analysis) return null;
  const { doc, tree, model } = analysis;
  const call = callAtCursor(doc.text, offsetOf(doc, params.position));
  if (!call) return null;
  const scope = contextAt(model, tree.rootNode, call.calleeStart).scope;
  const callee = resolveCalleeName(call.callee, scope, analysis.routines);
  if (!callee) return null;
  let signature: SignatureInformation;
  let names: string[];
  if (callee.kind === 'routine') {
    signature = routineSignatureInformation(callee.routine, { typedefs: lapackTypedefs(analysis.routines) });
    names = callee.routine.params.map((p) => p.name);
  } else {
    signature = functionSignatureInformation(callee.sig);
    names = callee.sig.params.map((p) => p.name);
  }
  let active = call.argumentIndex;
  if (call.keyword !== undefined) {
    const byName = names.indexOf(call.keyword);
    if (byName >= 0) active = byName;
  }
  if (callee.kind === 'function' && callee.sig.varargs && active >= names.length) active = names.length;
  signature.activeParameter = active;
  return { signatures: [signature], activeSignature: 0, activeParameter: active };
}

/** The signature of a C function as the model knows it, with label offsets of its parameters. */
export function functionSignatureInformation(sig: FunctionSignature): SignatureInformation {
  let label = `${typeToString(sig.returnType)} ${sig.name}(`;
  const parameters: ParameterInformation[] = [];
  sig.params.forEach((p, i) => {
    if (i > 0) label += ', ';
    const text = `${typeToString(p.type)} ${p.name}`.trim() + (p.hasDefault ? '=*' : '');
    parameters.push({ label: [label.length, label.length + text.length],
      documentation: { kind: 'markdown', value: `\`${typeToString(p.type)}\`` + (p.type.kind === 'py' ? ' (Python object)'
        : '') + (p.hasDefault ? ', optional' : '') } });
    label += text;
  });
  if (sig.varargs) label += sig.params.length ? ', ...' : '...';
  label += ')';
  const specs = [exceptionToString(sig.exception), sig.nogil && !sig.withGil ? 'nogil' : '', sig.withGil ? 'with gil' : '']
    .filter((s) => s).join(' ');
  if (specs) label += ` ${specs}`;
  return {
    label,
    parameters,
    documentation: { kind: 'markdown', value: `${describeGilRequirement(sig)}  \n${describeException(sig.exception,
      sig.returnType)}` },
  };
}

export const signatureHelpFeature: Feature = {
  id: 'signature-help',
  capabilities: { signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] } },
  register(connection, deps) {
    connection.onSignatureHelp((params) => guarded(deps, 'signatureHelp', null, () => signatureHelpAt(deps, params)));
  },
};
