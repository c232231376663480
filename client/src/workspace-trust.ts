/**
 * Workspace Trust (`capabilities.untrustedWorkspaces: limited` in package.json). In an untrusted workspace the
 * server is started with `initializationOptions.trusted = false` (it then never runs Python: no interpreter
 * discovery, no exact `cython -a` mode), and every `cythonLens` settings answer it gets has the interpreter path
 * emptied and exact mode off, so a workspace's `.vscode/settings.json` cannot name a program for it to run.
 * Granting trust restarts the server trusted.
 */
import * as vscode from 'vscode';
import type { ConfigurationMiddleware } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../shared/src/protocol';

export interface TrustInitializationOptions {
  trusted: boolean;
}

export function trustInitializationOptions(): TrustInitializationOptions {
  return { trusted: vscode.workspace.isTrusted };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `cythonLens` settings object as an untrusted workspace may pass it: no interpreter, no compiler runs. */
export function restrictUntrusted(section: unknown): unknown {
  if (!isRecord(section)) return section;
  const annotations = isRecord(section['annotations']) ? section['annotations'] : {};
  return { ...section, pythonPath: '', annotations: { ...annotations, exactMode: false } };
}

/** Rewrites `workspace/configuration` answers for the `cythonLens` section while the workspace is untrusted. */
export const trustConfigurationMiddleware: ConfigurationMiddleware = {
  configuration: async (params, token, next) => {
    const result = await next(params, token);
    if (vscode.workspace.isTrusted || !Array.isArray(result)) return result;
    return result.map((value: unknown, i) => {
      const section = params.items[i]?.section;
      if (section === SETTINGS_SECTION) return restrictUntrusted(value);
      if (section === undefined && isRecord(value) && isRecord(value[SETTINGS_SECTION])) {
        return { ...value, [SETTINGS_SECTION]: restrictUntrusted(value[SETTINGS_SECTION]) };
      }
      return value;
    });
  },
};
