/**
 * The shape of a GIL rule, after the compiler's `nogil_check`: one rule per kind of construct, each with the
 * compiler's own message. Rules are dispatched by node type from one walk of the tree (gil-walker.ts).
 */
import type { Node } from 'web-tree-sitter';
import type { ExprInfo, ExpressionTyper } from '../../model/expression-types';
import type { FunctionInfo } from '../../model/function-scope';
import type { GilState } from '../../model/gil-state';
import type { Specialisation } from '../../model/fused-specialisation';
import type { Scope } from '../../model/symbols';
import type { ModuleModel } from '../../model/module-model';
import type { ClassInfo, DeclLocation } from '../../model/c-types';
import type { Directives } from '../../model/directives';
import type { DiagnosticCode } from '../../../../shared/src/diagnostic-codes';

export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  code: DiagnosticCode;
  message: string;
  severity: FindingSeverity;
  /** 0-based start/end of the range to mark. */
  node: Node;
  /** The construct that released the GIL, for related information. */
  releasedBy?: Node;
  /** Data for code actions (e.g. the function to edit). */
  data?: Record<string, unknown>;
  /** Further places that explain the finding. */
  related?: { location: DeclLocation; message: string }[];
}

export interface RuleContext {
  readonly state: GilState;
  readonly scope: Scope;
  readonly fn: FunctionInfo | undefined;
  /** The class whose body we are in (for methods). */
  readonly cls: ClassInfo | undefined;
  readonly model: ModuleModel;
  readonly typer: ExpressionTyper;
  /** Compiler directives in force (boundscheck, wraparound...). */
  readonly directives: Readonly<Directives>;
  /** Number of enclosing loops within the current function. */
  readonly loopDepth: number;
  /** The fused-type specialisation being checked, if the function is fused and tests its types. */
  readonly specialisation: Specialisation | undefined;
  /** Whether a `raise` (an `assert`'s too) here gets an implicit `with gil:` (gil-walker.ts, InjectGilHandling). */
  readonly injectsGil: boolean;
  info(node: Node): ExprInfo;
  /**
   * Whether a finding at `node` is kept: always for a whole statement; for one method of a class (a unit of its own:
   * engine/definition-units.ts) only inside its rows, the class's other findings being its own unit's. A rule may
   * skip work whose finding would be dropped.
   */
  kept(node: Node): boolean;
  report(node: Node, message: string, extra?: { severity?: FindingSeverity; data?: Record<string, unknown>;
    related?: Finding['related'] }): void;
}

export interface GilRule {
  /**
   * Its diagnostic code, e.g. `nogil-python-global`: a row of the shared table (shared/src/diagnostic-codes.ts),
   * which gives its default severity and whether the compiler has the same message.
   */
  readonly code: DiagnosticCode;
  readonly nodeTypes: readonly string[];
  /** `nogil`: only where the GIL is not held (the compiler's nogil_check); `always`: everywhere. */
  readonly when: 'nogil' | 'always';
  check(node: Node, ctx: RuleContext): void;
}

/** The compiler's wording for every `gil_message` (Node.gil_error). */
export function notAllowedWithoutGil(what: string): string {
  return `${what} not allowed without gil`;
}

/** The signature of a cdef function whose body runs without the GIL (`nogil`, not `with gil`), else undefined. */
export function nogilSignature(fn: Node, ctx: RuleContext): import('../../model/c-types').FunctionSignature | undefined {
  const sig = ctx.model.signatureOf(fn, ctx.cls);
  return sig && sig.nogil && !sig.withGil ? sig : undefined;
}
