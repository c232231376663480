/**
 * An LSP feature beyond diagnostics (hover, completion, signature help, code actions, custom requests): what it
 * adds to the server's capabilities and how it registers its handlers. Features reach documents and settings only
 * through `FeatureDeps`, so protocol-level tests can drive them with an in-memory connection.
 */
import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import type { CythonLensSettings } from '../../../shared/src/protocol';
import type { WorkspaceIndex } from '../engine/workspace-index';
import type { AnalysisSession } from '../model/analysis-session';
import type { ParsedDocument } from '../text/parsed-document';

export interface FeatureDeps {
  /** The open document (with its current tree), if any. */
  document(uri: string): ParsedDocument | undefined;
  /** The engine's analysis session (resolvers, the Python environment, the shared document models). */
  session(): AnalysisSession;
  /** Settings resolved for this resource. */
  settings(uri: string): Promise<CythonLensSettings>;
  log(message: string): void;
  /** The workspace's Cython files (references, rename, workspace symbols); absent in tests that need none. */
  workspace?: WorkspaceIndex;
  /** A request reached the server (background work waits for quiet; see pxd-warming.ts). */
  message?(): void;
}

export interface Feature {
  readonly id: string;
  readonly capabilities: Partial<ServerCapabilities>;
  register(connection: Connection, deps: FeatureDeps): void;
  /** Called once the engine (and its session) exists, after initialize: background work such as warming caches. */
  start?(deps: FeatureDeps): void;
}
