/**
 * Rename and prepareRename of names the workspace owns: every place that denotes the declaration (references with
 * the declaration, reference-search.ts) is edited — the .pyx, its .pxd, the modules that cimport it. Names declared
 * outside the workspace (Cython's Includes, installed packages), builtins, modules and aliases are refused with a
 * message saying why.
 */
import * as path from 'node:path';
import {
  ErrorCodes, type PrepareRenameParams, type Range, type RenameParams, RenameRequest, ResponseError, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import { uriToPath } from '../model/pxd-resolver';
import { nodeRange } from '../text/positions';
import { guarded } from './document-analysis';
import type { Feature, FeatureDeps } from './feature';
import { declRange, type NavRequest, withTarget } from './navigation-request';
import { findReferences } from './reference-search';
import { type RequestProgress, requestProgress } from './work-progress';

const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is',
  'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'cdef', 'cpdef',
  'ctypedef', 'cimport', 'include', 'DEF', 'IF', 'ELIF', 'ELSE', 'nogil', 'gil', 'struct', 'union', 'enum', 'extern',
  'inline', 'public', 'readonly', 'api', 'fused', 'noexcept', 'sizeof', 'NULL', 'new', 'del', 'object', 'int',
  'long', 'double', 'float', 'char', 'short', 'unsigned', 'signed', 'const', 'void', 'bint', 'Py_ssize_t']);

function refuse(message: string): never {
  throw new ResponseError(ErrorCodes.InvalidRequest, message);
}

/** Why the target at the request cannot be renamed (undefined: it can). */
function refusal(deps: FeatureDeps, req: NavRequest): string | undefined {
  const t = req.target;
  const name = req.node.type === 'identifier' ? req.node.text : req.node.text;
  if (!t) return `Cython Lens does not know what \`${name}\` is here, so it cannot rename it safely.`;
  if (t.file && (!t.symbol || t.symbol.kind === 'cimported-module')) {
    return `\`${name}\` names a module or file; rename the file instead.`;
  }
  if (t.symbol?.kind === 'builtin' || t.symbol?.kind === 'cython-builtin') return `\`${name}\` is a builtin.`;
  if (t.alias) {
    return `\`${t.alias}\` is an alias of \`${t.name}\` (\`cimport ... as ${t.alias}\`); rename \`${t.name}\` at its `
      + 'declaration, or edit the alias where it is bound.';
  }
  const decl = t.declaration;
  if (!decl) return `The declaration of \`${name}\` was not found.`;
  const file = uriToPath(decl.uri);
  if (decl.uri !== req.ctx.uri) {
    const inside = file !== undefined && (deps.workspace ? deps.workspace.contains(file) : deps.document(decl.uri) !== undefined);
    if (!inside) {
      return `\`${t.name}\` is declared in ${file ? path.basename(file) : decl.uri} (${file ?? decl.uri}), outside the `
        + 'workspace: renaming it would not change that file.';
    }
  }
  return undefined;
}

export async function prepareRename(deps: FeatureDeps, params: PrepareRenameParams):
  Promise<{ range: Range; placeholder: string } | null> {
  const out = await withTarget(deps, params?.textDocument?.uri, params?.position, (req) => {
    if (req.node.type !== 'identifier') refuse('Only names can be renamed.');
    const why = refusal(deps, req);
    if (why) refuse(why);
    return { range: nodeRange(req.analysis.doc, req.node), placeholder: req.node.text };
  });
  return out ?? null;
}

export async function rename(deps: FeatureDeps, params: RenameParams, progress?: RequestProgress):
  Promise<WorkspaceEdit | null> {
  const newName = params?.newName;
  if (typeof newName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) {
    refuse(`\`${String(newName)}\` is not a valid Cython name.`);
  }
  if (KEYWORDS.has(newName)) refuse(`\`${newName}\` is a keyword or a C type name in Cython.`);
  const out = await withTarget(deps, params.textDocument?.uri, params.position, async (req) => {
    if (req.node.type !== 'identifier') refuse('Only names can be renamed.');
    const why = refusal(deps, req);
    if (why) refuse(why);
    const t = req.target!;
    if (t.name === newName) return { changes: {} };
    const scope = t.local ? undefined : req.ctx.model.declarations.scope;
    const clash = scope?.lookupLocal(newName);
    if (clash && clash.location && t.symbol?.binding === 'module') {
      refuse(`\`${newName}\` is already declared in this module (line ${clash.location.line + 1} of `
        + `${path.basename(uriToPath(clash.location.uri) ?? clash.location.uri)}).`);
    }
    const found = await findReferences(deps, req, { includeDeclaration: true,
      ...(progress ? { progress: (done: number, total: number) => progress.report(done, total) } : {}) });
    const changes: Record<string, TextEdit[]> = {};
    for (const o of found) {
      const l = o.location;
      if (o.alias || l.line !== l.endLine || l.endCharacter - l.character !== t.name.length) continue; // an alias's use
      (changes[l.uri] ??= []).push({ range: declRange(l), newText: newName });
    }
    return { changes };
  });
  return out ?? null;
}

export const renameFeature: Feature = {
  id: 'rename',
  capabilities: { renameProvider: { prepareProvider: true, workDoneProgress: true } },
  register(connection, deps) {
    // refusals are ResponseErrors the client shows; anything else is logged and answered with null
    const passRefusals = <T>(what: string, fn: () => Promise<T>): Promise<T | null> => fn().catch((err: unknown) => {
      if (err instanceof ResponseError) throw err;
      return guarded(deps, what, null, () => Promise.reject(err));
    });
    connection.onPrepareRename((p) => passRefusals('prepareRename', () => prepareRename(deps, p)));
    connection.onRequest(RenameRequest.type, (p) => {
      const progress = requestProgress(connection, 'Cython Lens: renaming', p);
      return passRefusals('rename', () => rename(deps, p, progress)).finally(() => progress.end());
    });
  },
};
