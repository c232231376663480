/**
 * Protocol shared by the VS Code client and the Cython Lens language server:
 * the settings shape and the custom requests / notifications.
 * Plain types only (no runtime dependency), so both bundles can import it.
 */

/** LSP-compatible position: zero-based line, UTF-16 character offset. */
export interface Position {
  line: number;
  character: number;
}

/** LSP-compatible range. */
export interface Range {
  start: Position;
  end: Position;
}

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';
export type SeverityOverride = SeverityName | 'off';
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** The `cythonLens.*` settings as the server uses them (defaults filled in, validated). */
export interface CythonLensSettings {
  /** Python interpreter with Cython; empty string means `python3` from PATH. */
  pythonPath: string;
  /** Extra directories searched for cimported .pxd files (absolute after resolution). */
  includeDirs: string[];
  annotations: {
    enabled: boolean;
    /** 0..2, opacity multiplier of the line highlight. */
    intensity: number;
    /** Run the real compiler on save for exact scores. */
    exactMode: boolean;
  };
  /** Diagnostic code -> severity (or 'off' to hide). */
  severityOverrides: Record<string, SeverityOverride>;
  /**
   * Compiler directives the build passes for every file (like `cython -X boundscheck=False`), e.g.
   * `{ "boundscheck": "False" }`. File headers and decorators still override them.
   */
  directives: Record<string, string>;
  /** Files larger than this many bytes (UTF-8) are not analysed. */
  maxFileSize: number;
  /**
   * Set when an `exclude` glob of the project's `[tool.cython-lens]` matches the file: why it is not analysed
   * (no diagnostics, no line scores).
   */
  excludedBy?: string;
  trace: { server: TraceLevel };
  inlayHints: {
    /** The C type Cython infers for untyped locals (`: double`, `: object` where inference gives up). */
    inferredTypes: boolean;
    /** The exception specification a `cdef` function gets by default (` except? -1`, ` except *`). */
    exceptionSpecs: boolean;
  };
}

export const DEFAULT_SETTINGS: Readonly<CythonLensSettings> = Object.freeze<CythonLensSettings>({
  pythonPath: '',
  includeDirs: [],
  annotations: { enabled: true, intensity: 1, exactMode: false },
  severityOverrides: {},
  directives: {},
  maxFileSize: 2 * 1024 * 1024,
  trace: { server: 'off' },
  inlayHints: { inferredTypes: true, exceptionSpecs: true },
});

/** The configuration section the server asks the client for. */
export const SETTINGS_SECTION = 'cythonLens';

// ---------------------------------------------------------------------------
// cythonLens/gilState request: what is the GIL state at a position?

export const GIL_STATE_REQUEST = 'cythonLens/gilState';

export interface GilStateParams {
  textDocument: { uri: string };
  position: Position;
}

export type GilState = 'held' | 'released' | 'nogil-function' | 'unknown';

export interface GilStateResult {
  state: GilState;
  /** The construct that releases the GIL (`with nogil:` header, `nogil` function signature). */
  releasedBy?: Range;
  /** The compiler directives set for this position (build, `# cython:`, decorators, `with`), outermost first. */
  directives?: DirectiveInForce[];
}

/** A compiler directive in force at a position and where it was set (`line`: 1-based, not for the build). */
export interface DirectiveInForce {
  name: string;
  /** As written (`False`, `'bytes'`); empty for a directive without value (`cfunc`). */
  value: string;
  source: 'build' | 'header' | 'decorator' | 'with';
  line?: number;
}

// ---------------------------------------------------------------------------
// cythonLens/whatIf request: for a yellow line, which directive would lower its score and to what (the annotator
// re-run with the directive set on the enclosing function or in the file header), and the directives in force there.

export const WHAT_IF_REQUEST = 'cythonLens/whatIf';

export interface WhatIfParams {
  textDocument: { uri: string };
  /** Zero-based line. */
  line: number;
}

export interface WhatIfOptionInfo {
  /** `boundscheck`, `wraparound`, `initializedcheck`, `cdivision`. */
  directive: string;
  /** `False` / `True`, as written in Cython. */
  value: string;
  /** Set by a decorator on the enclosing function, or by a `# cython:` line in the file header. */
  where: 'function' | 'file';
  /** The line's predicted score. */
  lineScore: number;
  /** The enclosing function's total score (of the line's top-level statement outside functions), now and predicted. */
  totalBefore: number;
  totalAfter: number;
  /** What the directive gives up, in one sentence. */
  givesUp: string;
}

export interface WhatIfResult {
  /** The line's estimated score now (0: not a yellow line, no options). */
  score: number;
  /** The enclosing function's name, if any. */
  functionName?: string;
  options: WhatIfOptionInfo[];
  /** The compiler directives set at the line (as in GilStateResult). */
  directives: DirectiveInForce[];
}

// ---------------------------------------------------------------------------
// cythonLens/annotations notification: `cython -a` style per-line scores.

export const ANNOTATIONS_NOTIFICATION = 'cythonLens/annotations';

export interface LineAnnotation {
  /** Zero-based line. */
  line: number;
  /** Estimated Python-interaction score (0 = pure C, like `cython -a` score-0). */
  score: number;
  /** Human-readable reasons, e.g. "Python attribute lookup `np.sum`". */
  reasons: string[];
}

export interface AnnotationsParams {
  uri: string;
  /** Document version the scores were computed for. */
  version: number;
  lines: LineAnnotation[];
  /**
   * True when these are the scores of the first screen of a large document just opened (its other definitions are
   * still being analysed); the complete scores of the same version follow.
   */
  partial?: boolean;
}

// ---------------------------------------------------------------------------
// cythonLens/status notification: health of the analysis of a document.

export const STATUS_NOTIFICATION = 'cythonLens/status';

/**
 * 'warning': analysed, but part of the analysis is off for a reason outside the document (the installation lacks a
 * data file: the BLAS/LAPACK routine database); its diagnostics are published, the message says what is missing.
 */
export type StatusState = 'ok' | 'skipped' | 'warning' | 'error';

export interface StatusParams {
  uri: string;
  state: StatusState;
  /** Present for 'skipped', 'warning' and 'error': what happened, in one sentence. */
  message?: string;
}

// ---------------------------------------------------------------------------
// cythonLens/generatedC request: the C the compiler generated for a line (exact mode, after a save).

export const GENERATED_C_REQUEST = 'cythonLens/generatedC';

export interface GeneratedCParams {
  uri: string;
  /** Zero-based line. */
  line: number;
}

export type GeneratedCResult =
  | { available: true; line: number; score: number; code: string; version: number }
  | { available: false; message: string };

// ---------------------------------------------------------------------------
// cythonLens/workspaceTrust notification (client to server): exact mode never runs the compiler when untrusted.

export const WORKSPACE_TRUST_NOTIFICATION = 'cythonLens/workspaceTrust';

export interface WorkspaceTrustParams {
  trusted: boolean;
}
