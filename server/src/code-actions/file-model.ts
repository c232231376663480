/** The semantic model of a file a code action reads (the current document's shared one, or a fresh one). */
import { type ClassInfo, definedClassOf } from '../model/c-types';
import type { FunctionInfo } from '../model/function-scope';
import { buildModuleModel, type ModuleModel } from '../model/module-model';
import type { Node } from '../model/syntax';
import type { SourceFile, SourceFiles } from '../model/source-files';
import { classOf } from './function-signatures';

/** The model of a file the request reads, built once per request (kept by `files`). */
export function modelOf(files: SourceFiles, file: SourceFile, current?: { uri: string; model: ModuleModel }): ModuleModel {
  if (current && current.uri === file.uri) return current.model;
  let m = files.models.get(file);
  if (!m) {
    m = buildModuleModel(file.tree, file.uri, files.resolver);
    files.models.set(file, m);
  }
  return m;
}

/** The local scope and signature of a cdef function node. */
export function functionInfoOf(model: ModuleModel, fn: Node): FunctionInfo {
  const clsName = classOf(fn);
  const sym = clsName ? model.declarations.scope.lookup(clsName) : undefined;
  const cls: ClassInfo | undefined = definedClassOf(sym?.type);
  return model.functionInfo(fn, model.declarations.scope, cls);
}
