/**
 * The Cython Lens language server. Takes its `Connection` as a parameter (stdio or IPC from main.ts, an in-memory
 * pair in tests) and wires it up: incremental text sync into an `Engine` given the checks and annotators of
 * checks/index.ts (`analyses`); diagnostics and line scores published after a short debounce, and again once a
 * broken tree settles (features/diagnostics.ts, annotations-publisher.ts); the LSP features of features/index.ts plus
 * the code actions (`defaultFeatures`) and exact mode (`cython -a` on save, features/exact-annotations.ts);
 * settings per document, pulled with workspace/configuration or pushed; and, in a trusted workspace only, the
 * Python environment found through the configured interpreter (for cimports of installed packages).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, type CythonLensSettings } from '../../shared/src/protocol';
import { analyses } from './checks';
import { codeActionFeature } from './code-actions/code-action-feature';
import { Engine, type EngineOptions } from './engine';
import { WorkspaceIndex } from './engine/workspace-index';
import { AnnotationsPublisher } from './features/annotations-publisher';
import { DiagnosticsPublisher, type DiagnosticsPublisherOptions } from './features/diagnostics';
import { ExactAnnotations, exactAnnotationsFeature, type ExactAnnotationsOptions } from './features/exact-annotations';
import type { Feature, FeatureDeps } from './features/feature';
import { PxdWarming, type PxdWarmingOptions } from './features/pxd-warming';
import { featureCapabilities, features as lspFeatures } from './features';
import { SettingsCache } from './settings/settings-cache';
import { applyProjectConfig, ProjectConfigs } from './settings/project/project-config';
import type { AnalysisSession } from './model/analysis-session';
import type { PythonEnvironment } from './model/python-environment';
import { VERSION } from './version';

/** The LSP features the server offers besides diagnostics: features/index.ts, and the code actions above them. */
export const defaultFeatures: readonly Feature[] = [...lspFeatures, codeActionFeature];

export interface ServerOptions {
  /** Debounce of diagnostics in ms (default 40). */
  debounceMs?: number;
  /** Pause in typing before a broken incremental tree is re-parsed from scratch (ms, default 300; 0: always). */
  settleDelayMs?: number;
  /** The progressive first publication of a large document (features/diagnostics.ts); false: off. */
  progressive?: DiagnosticsPublisherOptions['progressive'];
  /** Parse a sample at `initialized` so that the first document's parse is not cold (default true). */
  warmUp?: boolean;
  /**
   * The longest a document's first publication waits for the Python environment's discovery under way (ms, default
   * 2000; features/diagnostics.ts).
   */
  environmentWaitMs?: number;
  /** Engine options (checks, time budget) — tests inject failing checks here. */
  engine?: Partial<Omit<EngineOptions, 'log' | 'maxFileSize'>>;
  /** LSP features beyond diagnostics (default: `defaultFeatures`). */
  features?: readonly Feature[];
  /** How exact mode runs the compiler (tests inject a fake); default: child_process.execFile. */
  exactRun?: ExactAnnotationsOptions['run'];
  /**
   * Warming the .pxd files the workspace cimports in idle time (features/pxd-warming.ts); false: off (also with the
   * initialization option `pxdWarmup: false`).
   */
  pxdWarming?: Omit<PxdWarmingOptions, 'busy' | 'onDone'> | false;
}


/** The files whose change changes a project's configuration (settings/project/project-config.ts). */
const PROJECT_FILES: readonly string[] = ['pyproject.toml', 'setup.py', 'meson.build'];

/** A file name at a workspace folder's root whose settings are the folder's (no such file need exist). */
const FOLDER_SETTINGS_NAME = '.cython-lens-folder';

function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export class CythonLensServer {
  private engine: Engine | undefined;
  private publisher: DiagnosticsPublisher | undefined;
  private capabilities: ClientCapabilities = {};
  private folders: WorkspaceFolder[] = [];
  /** Settings pushed with didChangeConfiguration, for clients without workspace/configuration. */
  private pushedSettings: unknown = undefined;
  private readonly settings: SettingsCache;
  private readonly exact: ExactAnnotations;
  private readonly annotations: AnnotationsPublisher;
  /** False in an untrusted workspace (initializationOptions.trusted === false). */
  private trusted = true;
  /** The workspace's Cython files, for references, rename and workspace symbols. */
  private readonly workspace: WorkspaceIndex;
  /** What features reach the server through (set when they are registered). */
  private deps: FeatureDeps | undefined;
  /** The projects' configuration ([tool.cython-lens], meson.build, setup.py), read asynchronously, kept by mtime. */
  private readonly projects: ProjectConfigs;
  /** Idle-time loading of the .pxd files the workspace cimports (undefined before initialize, or when off). */
  private warming: PxdWarming | undefined;
  private warmingOff = false;

  constructor(
    private readonly connection: Connection,
    private readonly options: ServerOptions = {},
  ) {
    this.projects = new ProjectConfigs({ log: (m) => this.log(m) });
    this.settings = new SettingsCache({
      fetch: (uri) => this.fetchSettings(uri),
      baseDir: (uri) => this.baseDirOf(uri),
      report: (problems) => this.reportSettingsProblems(problems),
      project: async (uri, settings) => {
        const file = uriToPath(uri);
        if (!file) return { settings, problems: [] };
        // the project is looked for up to the workspace folder, which is an include root (as the build's source root)
        const folder = this.folderPathOf(uri);
        const config = await this.projects.forFile(file, folder);
        return { settings: applyProjectConfig(settings, config, file, folder ? [folder] : []), problems: config?.problems ?? [] };
      },
    });
    this.exact = new ExactAnnotations({
      log: (m) => this.log(m),
      warn: (message) => this.notify(ShowMessageNotification.method, { type: MessageType.Warning, message }),
      // a compiler run finished: re-analyse so the exact scores replace the estimate (if still that version)
      onResult: (uri, version) => {
        if (this.engine?.document(uri)?.version === version) this.publisher?.schedule(uri);
      },
      ...(options.exactRun ? { run: options.exactRun } : {}),
    });
    this.workspace = new WorkspaceIndex({
      openText: (file) => this.openTextAt(file),
      log: (m) => this.log(m),
    });
    this.annotations = new AnnotationsPublisher(connection, (uri, version) => this.exact.scoresFor(uri, version));
    this.register();
  }

  /** The engine's analysis session (undefined before initialize): for tests and benchmarks. */
  get session(): AnalysisSession | undefined {
    return this.engine?.session;
  }

  private features(): readonly Feature[] {
    return [...(this.options.features ?? defaultFeatures), exactAnnotationsFeature(this.exact)];
  }

  /** Logs to the client's output; a closed connection (client gone, tests) is not an error. */
  private log(message: string): void {
    try {
      this.connection.console.log(message);
    } catch {
      // connection disposed
    }
  }

  /** Sends a notification without waiting; a failed send (connection closed) is logged, never unhandled. */
  private notify(method: string, params: object): void {
    try {
      this.connection.sendNotification(method, params).catch((err: unknown) => this.log(`[warn] ${method}: ${String(err)}`));
    } catch (err) {
      this.log(`[warn] ${method}: ${String(err)}`);
    }
  }

  private register(): void {
    const c = this.connection;
    const deps: FeatureDeps = this.deps = {
      document: (uri) => this.engine?.document(uri),
      session: () => this.requireEngine().session,
      settings: (uri) => this.settings.get(uri),
      log: (m) => this.log(m),
      workspace: this.workspace,
      message: () => this.warming?.message(),
    };
    for (const feature of this.features()) feature.register(c, deps);
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.initialized());
    c.onShutdown(() => this.shutdown());

    c.onDidOpenTextDocument(({ textDocument: td }) =>
      this.guard('didOpen', () => {
        const engine = this.requireEngine();
        engine.open(td.uri, td.text, td.version, td.languageId);
        this.workspace.openChanged();
        this.publisher?.schedule(td.uri, 0); // nothing to coalesce yet: published as soon as the settings are known
        // (a plain Python file, not in pure Python mode, is none of ours: no Python is run for it)
        if (engine.isAnalysed(td.uri)) this.ensurePythonEnvironment(td.uri);
      }),
    );
    c.onDidChangeTextDocument(({ textDocument: td, contentChanges }) =>
      this.guard('didChange', () => {
        this.workspace.openChanged();
        if (this.requireEngine().change(td.uri, td.version, contentChanges)) this.publisher?.schedule(td.uri);
        else this.log(`[warn] didChange for a document that is not open: ${td.uri}`);
      }),
    );
    c.onDidCloseTextDocument(({ textDocument: td }) =>
      this.guard('didClose', () => {
        this.requireEngine().close(td.uri);
        this.workspace.openChanged();
        this.exact.forget(td.uri);
        this.settings.delete(td.uri);
        this.publisher?.clear(td.uri);
      }),
    );
    c.onDidSaveTextDocument(({ textDocument: td }) =>
      this.guard('didSave', () => {
        const doc = this.engine?.document(td.uri);
        if (!doc) return;
        const version = doc.version;
        void this.settings
          .get(td.uri)
          .then((settings) => this.exact.onSaved(td.uri, version, settings))
          .catch((err: unknown) => this.log(`[error] exact mode on ${td.uri}: ${String(err)}`));
      }),
    );
    c.onDidChangeWatchedFiles(({ changes }) =>
      this.guard('didChangeWatchedFiles', () => {
        let pxdChanged = false;
        for (const ch of changes ?? []) {
          const file = uriToPath(ch.uri);
          if (!file) continue;
          if (PROJECT_FILES.includes(path.basename(file))) {
            this.projectChanged(file);
            continue;
          }
          const kind = ch.type === FileChangeType.Deleted ? 'deleted' : ch.type === FileChangeType.Created ? 'created' : 'changed';
          this.workspace.changed(file, kind);
          // a .pxd the open documents' cimports may read: their models and diagnostics are made again now
          if (file.endsWith('.pxd') && this.engine?.session.pxdChanged(file, kind)) pxdChanged = true;
        }
        if (pxdChanged) this.publisher?.scheduleAll();
      }),
    );
    c.onDidChangeConfiguration((params) =>
      this.guard('didChangeConfiguration', () => {
        const raw: unknown = params.settings;
        if (raw && typeof raw === 'object' && SETTINGS_SECTION in raw) {
          this.pushedSettings = (raw as Record<string, unknown>)[SETTINGS_SECTION];
        }
        this.settings.clear();
        this.publisher?.scheduleAll();
        // the interpreter may be another, or have Cython installed since: discovered again (an equal result changes nothing)
        this.discoverForWorkspace(true);
        for (const uri of this.engine?.openUris() ?? []) if (this.engine?.isAnalysed(uri)) this.ensurePythonEnvironment(uri, true);
        this.warming?.start(); // the include dirs may have changed: another resolver to warm
      }),
    );
  }

  /**
   * Finds Cython's bundled .pxd files and installed packages through the Python of `uri`'s settings (once per
   * interpreter, asynchronously; `again`: probe it again, after a settings change); the documents analysed without
   * that environment are re-checked when it arrives (`environmentFound`). Never in an untrusted workspace.
   */
  private ensurePythonEnvironment(uri: string, again = false): void {
    if (!this.trusted) return;
    const session = this.engine?.session;
    if (!session) return;
    void this.settings.get(uri).then((settings) => {
      const python = settings.pythonPath || 'python3';
      if (!again && session.pythonEnvironment?.python === python) return;
      return session.discover(python, again);
    }).catch((err: unknown) => this.log(`[error] Python discovery: ${String(err)}`));
  }

  /**
   * Discovery started before any document is open, with the settings of the first workspace folder (VS Code starts
   * the server when a Cython file opens: its didOpen follows `initialized` at once), so that the first publication
   * normally has the environment already. A document whose settings name another interpreter discovers its own.
   */
  private discoverForWorkspace(again = false): void {
    const folder = this.folders[0];
    // the settings of a file at the folder's root: the folder's own, with the project configuration found there
    if (folder) this.ensurePythonEnvironment(`${folder.uri.replace(/\/$/, '')}/${FOLDER_SETTINGS_NAME}`, again);
  }

  /** The discovery a document's analysis needs, if under way or not started (the publisher waits for its first). */
  private environmentFor(uri: string, settings: CythonLensSettings): Promise<unknown> | undefined {
    const engine = this.engine;
    if (!this.trusted || !engine || !engine.isAnalysed(uri)) return undefined;
    const python = settings.pythonPath || 'python3';
    if (engine.session.pythonEnvironment?.python === python) return undefined;
    return engine.session.discover(python);
  }

  /** A Python environment differing from the one known was found: said, and what depended on it done again. */
  private environmentFound(env: PythonEnvironment): void {
    this.log(env.error ? `[warn] ${env.error}; cimports of Cython's includes and installed packages stay unresolved`
      : `Python environment: ${env.python}, Cython ${env.cythonVersion ?? '?'} (${env.sitePackages.length} package dirs)`);
    this.publisher?.scheduleStale();
    if (!env.error) this.warming?.start(); // Cython's includes and installed packages are findable now
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.capabilities = params.capabilities;
    this.folders =
      params.workspaceFolders ??
      (params.rootUri ? [{ uri: params.rootUri, name: path.basename(params.rootUri) }] : []);
    this.workspace.setRoots(this.folders.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined));
    if (params.initializationOptions && typeof params.initializationOptions === 'object') {
      const init = params.initializationOptions as Record<string, unknown>;
      if (SETTINGS_SECTION in init) this.pushedSettings = init[SETTINGS_SECTION];
      // The VS Code client says `trusted: false` in untrusted workspaces: then no Python is ever run.
      if (init['pxdWarmup'] === false) this.warmingOff = true;
      if (init['trusted'] === false) {
        this.trusted = false;
        this.exact.setTrusted(false); // no `cython -a` either, even before a cythonLens/workspaceTrust notification
      }
    }
    try {
      this.engine = await Engine.create({
        ...analyses,
        ...this.options.engine,
        log: (m) => this.log(m),
        maxFileSize: (uri) => this.settings.peek(uri)?.maxFileSize ?? DEFAULT_SETTINGS.maxFileSize,
      });
      // the engine (and its session) exists now: features may start background work on it
      if (this.deps) for (const feature of this.features()) feature.start?.(this.deps);
    } catch (err) {
      const message = `Cython Lens could not load its grammar: ${err instanceof Error ? err.message : String(err)}`;
      throw new ResponseError(-32603, message, { retry: false });
    }
    this.publisher = new DiagnosticsPublisher({
      connection: this.connection,
      engine: this.engine,
      annotations: this.annotations,
      settings: (uri) => this.settings.get(uri),
      delayMs: this.options.debounceMs ?? 40,
      ...(this.options.settleDelayMs !== undefined ? { settleDelayMs: this.options.settleDelayMs } : {}),
      ...(this.options.progressive !== undefined ? { progressive: this.options.progressive } : {}),
      log: (m) => this.log(m),
      environment: (uri, settings) => this.environmentFor(uri, settings),
      ...(this.options.environmentWaitMs !== undefined ? { environmentWaitMs: this.options.environmentWaitMs } : {}),
    });
    this.engine.session.onDiscovered((env) => this.environmentFound(env));
    if (this.options.pxdWarming !== false && !this.warmingOff && this.deps) {
      const publisher = this.publisher;
      this.warming = new PxdWarming(this.deps, {
        ...this.options.pxdWarming,
        busy: () => publisher.busy,
        onDone: (s) => this.log(`.pxd warm-up done: ${s.files} files, ${s.steps} steps, ${s.modules} modules, ${s.busyMs} ms`),
      });
    }
    return {
      capabilities: {
        ...featureCapabilities(this.features()),
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      },
      serverInfo: { name: 'cython-lens', version: VERSION },
    };
  }

  private initialized(): void {
    if (this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      this.connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{pyx,pxd,pxi}' }, { globPattern: `**/{${PROJECT_FILES.join(',')}}` }],
        })
        // from now on the client tells us of changes: cached texts need no stat before each use
        .then(() => this.workspace.setWatched(true))
        .catch((err: unknown) => this.log(`[warn] registering the Cython file watcher: ${String(err)}`));
    }
    this.discoverForWorkspace();
    // while the interpreter answers (and before the first document is parsed): the parser's WASM optimised
    if (this.options.warmUp !== false) setImmediate(() => void this.engine?.warmUp());
    void this.indexWorkspace();
    if (this.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      this.connection.client
        .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
        .catch((err: unknown) => this.log(`[warn] registering for configuration changes: ${String(err)}`));
    }
  }

  /** Lists the workspace's Cython files in the background, with work-done progress when the client shows it. */
  private async indexWorkspace(): Promise<void> {
    if (!this.workspace.rootDirs.length) return;
    const token = `cython-lens-index-${Date.now()}`;
    let progress = false;
    try {
      if (this.capabilities.window?.workDoneProgress) {
        await this.connection.sendRequest(WorkDoneProgressCreateRequest.type, { token });
        progress = true;
        await this.connection.sendProgress(WorkDoneProgress.type, token,
          { kind: 'begin', title: 'Cython Lens: indexing Cython files', cancellable: false });
      }
      const started = Date.now();
      let reported = 0;
      const files = await this.workspace.list((count) => {
        if (progress && count - reported >= 100) {
          reported = count;
          void this.connection.sendProgress(WorkDoneProgress.type, token, { kind: 'report', message: `${count} files` })
            .catch(() => undefined);
        }
      });
      this.log(`Workspace index: ${files.length} Cython files (${Date.now() - started} ms)`);
      this.warming?.start();
    } catch (err) {
      this.log(`[warn] workspace index: ${String(err)}`);
    } finally {
      if (progress) {
        void this.connection.sendProgress(WorkDoneProgress.type, token, { kind: 'end' }).catch(() => undefined);
      }
    }
  }

  /** The text of the open document at a file path, if one is open. */
  private openTextAt(file: string): string | undefined {
    for (const uri of this.engine?.openUris() ?? []) {
      if (uriToPath(uri) === file) return this.engine?.document(uri)?.text;
    }
    return undefined;
  }

  private shutdown(): void {
    this.warming?.dispose();
    this.workspace.dispose();
    this.exact.dispose();
    this.publisher?.dispose();
    this.engine?.dispose();
  }

  private requireEngine(): Engine {
    if (!this.engine) throw new Error('document notification before initialize');
    return this.engine;
  }

  /** Runs a notification handler; bad input is logged, never crashes the server. */
  private guard(what: string, fn: () => void): void {
    this.warming?.message();
    try {
      fn();
    } catch (err) {
      this.log(`[error] ${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  private async fetchSettings(uri: string): Promise<unknown> {
    if (this.capabilities.workspace?.configuration) {
      return this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
    }
    return this.pushedSettings;
  }

  /** A project's configuration changed: settings are read again and every open document is re-checked. */
  private projectChanged(file: string): void {
    this.log(`Project configuration changed: ${file}`);
    this.projects.invalidate();
    this.settings.clear();
    this.publisher?.scheduleAll();
    for (const uri of this.engine?.openUris() ?? []) this.ensurePythonEnvironment(uri);
    this.warming?.start();
  }

  /** The path of the workspace folder holding `uri` (the innermost), if any. */
  private folderPathOf(uri: string): string | undefined {
    const folder = this.folders
      .filter((f) => uri.startsWith(f.uri.endsWith('/') ? f.uri : `${f.uri}/`))
      .sort((a, b) => b.uri.length - a.uri.length)[0];
    return folder ? uriToPath(folder.uri) : undefined;
  }

  private baseDirOf(uri: string): string | undefined {
    const folder = this.folders
      .filter((f) => uri.startsWith(f.uri.endsWith('/') ? f.uri : `${f.uri}/`))
      .sort((a, b) => b.uri.length - a.uri.length)[0];
    const p = uriToPath(folder?.uri ?? uri);
    if (p === undefined) return undefined;
    return folder ? p : path.dirname(p);
  }

  private reportSettingsProblems(problems: string[]): void {
    for (const p of problems) this.log(`[settings] ${p}`);
    this.notify(ShowMessageNotification.method, {
      type: MessageType.Warning,
      message: `Cython Lens settings: ${problems.join(' ')}`,
    });
  }

}
