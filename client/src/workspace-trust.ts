/**
 * Workspace Trust (`capabilities.untrustedWorkspaces: limited` in package.json). In an untrusted workspace the
 * server is started with `initializationOptions.trusted = false` (it then never runs Python: no interpreter
 * discovery, no exact `cython -a` mode), and every `cythonLens` settings answer it gets has the interpreter path
 * emptied and exact mode off, so a workspace's `.vscode/settings.json` cannot name a program for it to run.
 * Granting trust restarts the server trusted. In a trusted workspace an empty interpreter path is filled with the
 * Python extension's interpreter.
 */
import * as vscode from 'vscode';
import type { ConfigurationMiddleware } from 'vscode-languageclient/node';
import { fillInterpreterAnswer, type InterpreterLookup } from './python-settings';
import { restrictConfigurationAnswer } from './untrusted-settings';

export interface TrustInitializationOptions {
  trusted: boolean;
}

export function trustInitializationOptions(): TrustInitializationOptions {
  return { trusted: vscode.workspace.isTrusted };
}

/**
 * Rewrites `workspace/configuration` answers for the `cythonLens` section: while the workspace is untrusted,
 * restricted (no interpreter, no exact mode); trusted, an empty `pythonPath` is given the Python extension's
 * interpreter for the item's scope (python-settings.ts).
 */
export function configurationMiddleware(interpreterFor: InterpreterLookup): ConfigurationMiddleware {
  return {
    configuration: async (params, token, next) => {
      const result = await next(params, token);
      if (!Array.isArray(result)) return result;
      if (!vscode.workspace.isTrusted) return restrictConfigurationAnswer(params.items, result as unknown[]);
      return fillInterpreterAnswer(params.items, result as unknown[], interpreterFor);
    },
  };
}
