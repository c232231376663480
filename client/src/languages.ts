/**
 * The documents Cython Lens is given: Cython sources, and Python files on disk (the server analyses a `.py` file only
 * in pure Python mode, when it imports `cython` or has a `.pxd` beside it, and leaves every other one alone).
 * In Python files the Python extension (Pylance) owns the language features: ours are limited to what it does not
 * give (the GIL diagnostics, yellow lines and their hover, the GIL state, quick fixes), see `pythonMiddleware`.
 */
import type * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const DOCUMENT_SELECTOR = [{ language: 'cython' }, { language: 'python', scheme: 'file' }];

/** A document the server may analyse (its language is ours or Python). */
export function isCythonLensDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'cython' || (document.languageId === 'python' && document.uri.scheme === 'file');
}

const isPython = (document: vscode.TextDocument): boolean => document.languageId === 'python';

/**
 * Middleware that answers nothing from us in Python files for the features the Python extension provides (completion,
 * hover, signature help, navigation, symbols, semantic tokens, inlay hints, folding...), so that nothing is shown twice
 * and Pylance's semantic tokens are never replaced by ours. Diagnostics, code actions and our notifications pass.
 */
export const pythonMiddleware: Middleware = {
  provideCompletionItem: (document, position, context, token, next) =>
    isPython(document) ? undefined : next(document, position, context, token),
  provideHover: (document, position, token, next) => (isPython(document) ? undefined : next(document, position, token)),
  provideSignatureHelp: (document, position, context, token, next) =>
    isPython(document) ? undefined : next(document, position, context, token),
  provideDefinition: (document, position, token, next) =>
    isPython(document) ? undefined : next(document, position, token),
  provideReferences: (document, position, options, token, next) =>
    isPython(document) ? undefined : next(document, position, options, token),
  provideDocumentHighlights: (document, position, token, next) =>
    isPython(document) ? undefined : next(document, position, token),
  provideDocumentSymbols: (document, token, next) => (isPython(document) ? undefined : next(document, token)),
  provideRenameEdits: (document, position, newName, token, next) =>
    isPython(document) ? undefined : next(document, position, newName, token),
  prepareRename: (document, position, token, next) => (isPython(document) ? undefined : next(document, position, token)),
  provideFoldingRanges: (document, context, token, next) =>
    isPython(document) ? undefined : next(document, context, token),
  provideSelectionRanges: (document, positions, token, next) =>
    isPython(document) ? undefined : next(document, positions, token),
  provideInlayHints: (document, range, token, next) => (isPython(document) ? undefined : next(document, range, token)),
  provideDocumentSemanticTokens: (document, token, next) => (isPython(document) ? undefined : next(document, token)),
  provideDocumentSemanticTokensEdits: (document, previousResultId, token, next) =>
    isPython(document) ? undefined : next(document, previousResultId, token),
  provideDocumentRangeSemanticTokens: (document, range, token, next) =>
    isPython(document) ? undefined : next(document, range, token),
  prepareCallHierarchy: (document, position, token, next) =>
    isPython(document) ? undefined : next(document, position, token),
};
