/**
 * Workspace Trust (`capabilities.untrustedWorkspaces: limited` in package.json). In an untrusted workspace the
 * server is started with `initializationOptions.trusted = false` (it then never runs Python: no interpreter
 * discovery, no exact `cython -a` mode), and every `cythonLens` settings answer it gets has the interpreter path
 * emptied and exact mode off, so a workspace's `.vscode/settings.json` cannot name a program for it to run.
 * Granting trust restarts the server trusted.
 */
import * as vscode from 'vscode';
import type { ConfigurationMiddleware } from 'vscode-languageclient/node';
import { restrictConfigurationAnswer } from './untrusted-settings';

export interface TrustInitializationOptions {
  trusted: boolean;
}

export function trustInitializationOptions(): TrustInitializationOptions {
  return { trusted: vscode.workspace.isTrusted };
}

/** Rewrites `workspace/configuration` answers for the `cythonLens` section while the workspace is untrusted. */
export const trustConfigurationMiddleware: ConfigurationMiddleware = {
  configuration: async (params, token, next) => {
    const result = await next(params, token);
    if (vscode.workspace.isTrusted || !Array.isArray(result)) return result;
    return restrictConfigurationAnswer(params.items, result as unknown[]);
  },
};
