/**
 * Every diagnostic code Cython Lens reports: the one table the GIL rules, the other checks, the quick fixes, the
 * settings schema (`cythonLens.severityOverrides` keys in package.json) and the README's list of codes are built on.
 * test/shared/diagnostic-codes.test.ts checks that they all agree; `node scripts/sync-codes.mjs` rewrites the schema
 * keys and the README list from this table.
 *
 * Plain data only (no runtime dependency), so the client, the server and the scripts can all read it.
 */
import type { SeverityName } from './protocol';

/** The kinds of message the compiler prints (`warning: `, `performance hint: `, or an error). */
export type CompilerMessageKind = 'error' | 'warning' | 'performance hint';

export interface DiagnosticCodeInfo {
  /** Severity of the diagnostic unless `cythonLens.severityOverrides` changes it. */
  readonly severity: SeverityName;
  /**
   * The kinds of message the pinned compiler gives for what this code reports, in its own words; empty when the
   * code is ours alone (the compiler has no such message): its fixture is then compared with our engine only.
   */
  readonly compiler: readonly CompilerMessageKind[];
  /**
   * Who reports it: a GIL rule (server/src/checks/gil/, one file per code, fixture `gil/fixtures/<code>.pyx` with `_`
   * for `-`), another document check (fixture `fixtures/<code>.pyx` beside it), or the engine itself about the
   * analysis (no fixture: tested by the engine's tests).
   */
  readonly reportedBy: 'gil-rule' | 'check' | 'engine';
  /** One line for the README and the settings schema. */
  readonly summary: string;
}

const ERROR = ['error'] as const;
const WARNING = ['warning'] as const;
const HINT = ['performance hint'] as const;
const OURS = [] as const;

export const DIAGNOSTIC_CODES = {
  // --- GIL rules: the compiler's nogil_check messages ("... not allowed without gil")
  'nogil-python-global': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Accessing a Python global or builtin without the GIL.' },
  'nogil-python-attribute': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Accessing a Python attribute without the GIL.' },
  'nogil-python-assignment': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Assigning a Python object without the GIL.' },
  'nogil-gil-requiring-call': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Calling a Python or GIL-requiring function without the GIL.' },
  'nogil-python-container': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Constructing a Python list, tuple, dict or set without the GIL.' },
  'nogil-python-function': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Constructing a Python function or class (def, lambda, class) without the GIL.' },
  'nogil-python-indexing': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Indexing or slicing a Python object without the GIL.' },
  'nogil-python-iteration': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Iterating over a Python object without the GIL.' },
  'nogil-object-loop-bounds': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A for-loop with Python object bounds or target without the GIL.' },
  'nogil-python-conversion': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Converting a C value to a Python object without the GIL.' },
  'nogil-coercion-from-python': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Converting a Python object to a C value without the GIL.' },
  'nogil-complex-number': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Constructing a Python complex number without the GIL.' },
  'nogil-python-deletion': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Deleting a Python object without the GIL.' },
  'nogil-python-return': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Returning a Python object without the GIL.' },
  'nogil-try-except': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A try-except statement without the GIL.' },
  'nogil-python-truth-test': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Truth-testing a Python object without the GIL.' },
  'nogil-string-formatting': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'String formatting or concatenation without the GIL.' },
  'nogil-python-import': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A Python import without the GIL.' },
  'nogil-python-operation': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'An operation on Python objects without the GIL.' },
  'nogil-python-type-test': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A Python type test (isinstance) without the GIL.' },
  'nogil-temporary-reference': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Creating a temporary Python reference without the GIL.' },
  'nogil-discarded-object': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Discarding an owned Python object (an expression statement) without the GIL.' },
  'nogil-buffer-acquisition': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Acquiring a buffer (a buffer-typed argument or local) without the GIL.' },
  'nogil-raise': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Raising an exception without the GIL.' },
  'nogil-python-context-manager': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'Entering a Python context manager (`with obj:`) without the GIL.' },
  'nogil-backquote': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A Python 2 backquote (repr) without the GIL.' },
  // --- GIL rules: nogil functions and GIL transitions
  'nogil-function-python-return': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A nogil function returning a Python object.' },
  'nogil-function-python-locals': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A nogil function with Python locals or temporaries.' },
  'python-function-nogil': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: "A Python (def) function declared 'nogil'." },
  'nogil-placement': { severity: 'warning', compiler: WARNING, reportedBy: 'gil-rule',
    summary: "'nogil' before the exception clause instead of at the end of the signature." },
  'non-constant-gil-condition': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A non-constant condition in `with gil(...)` / `with nogil(...)`.' },
  'redundant-gil-transition': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: '`with gil:` where the GIL is held, or `with nogil:` where it is released.' },
  'critical-section-gil': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A critical section without the GIL.' },
  'cpp-constructor-base-gil': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A nogil C++ constructor calling a GIL-requiring base constructor.' },
  'gil-transition-in-loop': { severity: 'information', compiler: OURS, reportedBy: 'gil-rule',
    summary: 'Ours: `with gil:` / `with nogil:` as a loop statement pays for the transition on every iteration.' },
  // --- GIL rules: prange and parallel blocks
  'parallel-python-argument': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A Python object as an argument of prange() or parallel().' },
  'parallel-without-nogil': { severity: 'warning', compiler: WARNING, reportedBy: 'gil-rule',
    summary: 'prange() or parallel() without releasing the GIL.' },
  'prange-outside-for': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'prange() used outside a for loop.' },
  // --- GIL rules: exception specifications
  'exception-check-definition': { severity: 'information', compiler: HINT, reportedBy: 'gil-rule',
    summary: "A nogil function's exception check will always acquire the GIL (performance hint)." },
  'exception-check-requires-gil': { severity: 'information', compiler: HINT, reportedBy: 'gil-rule',
    summary: 'The exception check after a call will always acquire the GIL (performance hint).' },
  'exception-clause': { severity: 'error', compiler: ['error', 'warning'], reportedBy: 'gil-rule',
    summary: 'An exception clause the compiler rejects (C++ exceptions on a non-extern function, a bad value).' },
  'implicit-noexcept': { severity: 'warning', compiler: WARNING, reportedBy: 'gil-rule',
    summary: 'An implicit noexcept under legacy_implicit_noexcept (deprecated).' },
  'noexcept-python-return': { severity: 'warning', compiler: WARNING, reportedBy: 'gil-rule',
    summary: 'A noexcept clause on a function returning a Python object (ignored).' },
  'c-property-setter-exception': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: 'A C property setter without the exception clause it needs.' },
  'function-pointer-assignment': { severity: 'error', compiler: ERROR, reportedBy: 'gil-rule',
    summary: "A function assigned to a pointer whose exception clause or 'nogil' it does not satisfy." },
  'nogil-function-cast': { severity: 'warning', compiler: WARNING, reportedBy: 'gil-rule',
    summary: 'A GIL-requiring function cast to a nogil function type.' },
  // --- GIL rules: memoryview access (performance hints)
  'boundscheck-hint': { severity: 'information', compiler: HINT, reportedBy: 'gil-rule',
    summary: 'Memoryview or buffer indexing without the GIL while boundscheck is on (performance hint).' },
  'untyped-index': { severity: 'information', compiler: HINT, reportedBy: 'gil-rule',
    summary: 'A memoryview indexed with a Python object (performance hint).' },
  // --- GIL rules: what we cannot see
  'incomplete-class-layout': { severity: 'information', compiler: OURS, reportedBy: 'gil-rule',
    summary: "Ours: a cdef class whose layout we cannot see whole; checks on its unknown members are skipped." },
  // --- other checks
  'syntax': { severity: 'error', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a syntax error (in our words; the compiler reports one there too).' },
  'call-arguments': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'A call to a C function with the wrong number or types of arguments.' },
  'lapack-workspace': { severity: 'warning', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a LAPACK workspace size (LWORK) below the documented minimum.' },
  'lapack-memory-order': { severity: 'warning', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a C-ordered matrix passed to a column-major LAPACK routine, which sees its transpose.' },
  'lapack-buffer-size': { severity: 'warning', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a buffer shorter than the dimension LAPACK documents for it (or than its LWORK).' },
  'lapack-leading-dimension': { severity: 'warning', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a leading dimension below the documented rule (LDA >= max(1,M)) or unlike the array passed.' },
  'lapack-info-unchecked': { severity: 'hint', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: the INFO of a LAPACK routine that can fail is never read after the call.' },
  'lapack-overwritten-input': { severity: 'information', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a matrix a LAPACK routine overwrote (factors, singular vectors, destroyed) read after the call as its input.' },
  'directive-value': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'A compiler directive value the compiler rejects (in a # cython: comment, decorator or with item).' },
  'directive-scope': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'A compiler directive where it is not allowed (module-only, cdef-class-only, not in with...).' },
  'unknown-directive': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'A @cython.<name> decorator or with item that is no directive.' },
  'ignored-directive-comment': { severity: 'information', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a # cython: comment (or a name in it) the compiler ignores: after the first statement, unknown.' },
  'unresolved-cimport': { severity: 'information', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a cimported .pxd or included file was not found; checks depending on its names are skipped.' },
  // --- Cython+ cypclass capabilities (checks/cypclass/, validated against the cython-plus compiler)
  'cypclass-capability-assignment': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: a cypclass reference assigned to a variable of another capability (iso, lock, active).' },
  'cypclass-capability-cast': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: a cast of a cypclass reference to another capability (only consume changes it).' },
  'cypclass-qualifier': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: a capability (iso, lock, locked, active) on a type that is not a cypclass.' },
  'cypclass-consume': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: consume of a value that is not a cypclass reference.' },
  'cypclass-locked-outside-function': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: "Cython+: a 'locked' variable outside a function." },
  'cypclass-capability-argument': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: a cypclass reference passed to a parameter of another capability (iso->, lock->, lock, iso...).' },
  'cypclass-python-conversion': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: a cypclass reference with a capability converted to or from a Python object.' },
  'cypclass-method-self': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: a cypclass method without a self argument.' },
  'cypclass-locked-return': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: "Cython+: a function declared to return a 'locked' cypclass reference." },
  'cypclass-locking-non-cypclass': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: with wlocked/rlocked on something that is not a cypclass reference.' },
  'cypclass-constructor-wrapper': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: "Cython+: a constructor the compiler's wrapper cannot call (__new__ with fewer required arguments than __init__, __init__ with ...)." },
  'cypclass-const-method': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: a method that is not const called on a const reference.' },
  'cypclass-activable-base': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: an activable cypclass deriving from one that is not activable.' },
  'cypclass-active-call-arity': { severity: 'error', compiler: ERROR, reportedBy: 'check',
    summary: 'Cython+: a call on an active reference with the wrong number of arguments (the first is the sync object).' },
  'cypclass-consume-aliased': { severity: 'warning', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: consume of a thread-local reference aliased before in the function (TypeError at run time).' },
  'cypclass-rlocked-mutation': { severity: 'warning', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a non-const method call or field write on an object only read-locked (with rlocked).' },
  'cypclass-lock-temporary': { severity: 'warning', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: with wlocked/rlocked on a temporary object (the lock protects nothing).' },
  'cypclass-lock-per-call': { severity: 'hint', compiler: OURS, reportedBy: 'check',
    summary: 'Ours: a method call on a lock reference outside with wlocked/rlocked (one lock taken per call).' },
  // --- the engine, about the analysis itself
  'not-analysed': { severity: 'information', compiler: OURS, reportedBy: 'engine',
    summary: 'Ours: the file was not analysed (too large, or not text).' },
  'nested-too-deeply': { severity: 'information', compiler: OURS, reportedBy: 'engine',
    summary: 'Ours: a check was skipped because the code is nested too deeply.' },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Every code, in the table's order. */
export const ALL_DIAGNOSTIC_CODES = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];

export function isDiagnosticCode(code: unknown): code is DiagnosticCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, code);
}

/** The table's entry of a code (typed as the general shape, for code that reads any entry). */
export function diagnosticCodeInfo(code: DiagnosticCode): DiagnosticCodeInfo {
  return DIAGNOSTIC_CODES[code];
}
