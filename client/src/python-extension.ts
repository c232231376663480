/**
 * The Python extension (`ms-python.python`) through its public API (the `environments` API that the
 * `@vscode/python-extension` package types): the active interpreter of a resource, resolved to its executable, and
 * an event when the user picks another. Absent extension, an older one without this API, or a failure: no
 * interpreter (the server then falls back as before).
 */
import * as vscode from 'vscode';

const PYTHON_EXTENSION_ID = 'ms-python.python';

interface EnvironmentPath {
  id: string;
  path: string;
}

interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
  resolveEnvironment(environment: EnvironmentPath | string): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
}

function environmentsOf(exports: unknown): PythonEnvironmentsApi | undefined {
  const env = (exports as { environments?: Partial<PythonEnvironmentsApi> } | undefined)?.environments;
  return env && typeof env.getActiveEnvironmentPath === 'function' && typeof env.resolveEnvironment === 'function'
    && typeof env.onDidChangeActiveEnvironmentPath === 'function' ? env as PythonEnvironmentsApi : undefined;
}

export class PythonExtensionInterpreters implements vscode.Disposable {
  private api: Promise<PythonEnvironmentsApi | undefined> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: (message: string) => void) {}

  /** Whether the Python extension is installed. */
  get installed(): boolean {
    return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
  }

  private environments(): Promise<PythonEnvironmentsApi | undefined> {
    this.api ??= (async () => {
      const ext = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
      if (!ext) return undefined;
      try {
        const api = environmentsOf(ext.isActive ? ext.exports : await ext.activate());
        if (!api) this.log(`[client] ${PYTHON_EXTENSION_ID} has no environments API: using python3 from PATH`);
        return api;
      } catch (err) {
        this.log(`[client] ${PYTHON_EXTENSION_ID} failed to activate: ${String(err)}`);
        return undefined;
      }
    })();
    return this.api;
  }

  /** The executable of the interpreter the Python extension uses for `scopeUri` (its folder), if any. */
  async interpreterFor(scopeUri: string | undefined): Promise<string | undefined> {
    const api = await this.environments();
    if (!api) return undefined;
    const resource = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
    const active = api.getActiveEnvironmentPath(resource);
    const resolved = await api.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath;
  }

  /** Calls `listener` when the user picks another interpreter (once the extension's API has been reached). */
  async onDidChange(listener: () => void): Promise<void> {
    const api = await this.environments();
    if (api) this.subscriptions.push(api.onDidChangeActiveEnvironmentPath(() => listener()));
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
