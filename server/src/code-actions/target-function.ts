/**
 * The user's cdef function a diagnostic is about: the one defined at the diagnostic (definition hints), or the
 * callee named in `data.declaredAt` (call diagnostics). With its semantic model, scope and signature.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { DeclLocation, ExceptionSpec, FunctionSignature } from '../model/c-types';
import type { FunctionInfo } from '../model/function-scope';
import type { ModuleModel } from '../model/module-model';
import { raisingConstruct, type RaiseReason } from './body-can-raise';
import { type FixContext, nodeOfDiagnostic } from './fix-context';
import { functionInfoOf, modelOf } from './file-model';
import { type FunctionSites, type FunctionSite, sitesAt, sitesOfNode } from './function-sites';

export interface TargetFunction {
  sites: FunctionSites;
  definition: FunctionSite;
  model: ModuleModel;
  info: FunctionInfo;
  /** The signature of the definition (merged with the .pxd). */
  signature: FunctionSignature;
  /** The exception spec callers see: the .pxd declaration's when there is one (no default error value there). */
  exception: ExceptionSpec;
  /** Why the body can raise, if it can. */
  raises: RaiseReason | undefined;
}

function isLocation(v: unknown): v is DeclLocation {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.uri === 'string' && typeof o.line === 'number' && typeof o.character === 'number';
}

export function dataOf(d: Diagnostic): Record<string, unknown> {
  return d.data && typeof d.data === 'object' ? d.data as Record<string, unknown> : {};
}

/** The function a diagnostic refers to, when the user owns its definition (found in a .pyx). */
export function targetFunction(d: Diagnostic, ctx: FixContext): TargetFunction | undefined {
  const data = dataOf(d);
  let sites: FunctionSites | undefined;
  if (isLocation(data.declaredAt)) {
    sites = sitesAt(ctx.files, data.declaredAt);
  } else if (d.code === 'exception-check-definition') {
    sites = sitesOfNode(ctx.files, ctx.file, nodeOfDiagnostic(ctx, d));
  }
  if (!sites?.definition) return undefined;
  if (typeof data.function === 'string' && data.function !== sites.name) return undefined;
  const definition = sites.definition;
  const model = modelOf(ctx.files, definition.file, { uri: ctx.doc.uri, model: ctx.model });
  const info = functionInfoOf(model, definition.node);
  const signature = info.signature;
  if (!signature) return undefined;
  let exception = signature.exception;
  const decl = sites.declaration;
  if (decl) {
    const declModel = modelOf(ctx.files, decl.file, { uri: ctx.doc.uri, model: ctx.model });
    const declared = declModel.collector.signatureOf(decl.node, { extern: false, externNogil: false }, info.cls);
    if (declared) exception = declared.exception;
  }
  return { sites, definition, model, info, signature, exception,
    raises: raisingConstruct(model, info, definition.file.text) };
}
