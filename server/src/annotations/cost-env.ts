/**
 * What the estimator carries while walking a definition: GIL state, scope, directives, where costs go, and the walker
 * that owns the recursion (cost-walker.ts). The per-node cost functions reach their children through `env.walk`
 * instead of importing each other.
 */
import type { CType, ClassInfo } from '../model/c-types';
import type { ExprInfo } from '../model/expression-types';
import type { FunctionInfo } from '../model/function-scope';
import type { GilState } from '../model/gil-state';
import type { ModuleModel } from '../model/module-model';
import type { Scope } from '../model/symbols';
import type { Specialisation } from '../model/fused-specialisation';
import type { Directives } from './directives';
import type { CostSink } from './line-costs';
import type { Node } from '../model/syntax';
import { isPureExtensionClass } from '../model/pure-classes';

/** The recursion of the estimate: every cost function evaluates its children through these (cost-walker.ts). */
export interface CostWalk {
  /** Evaluates an expression, adding its costs; returns the typer's view of it. */
  expr(node: Node, env: CostEnv): ExprInfo;
  /** Evaluates `node` and converts the result to `to`. */
  exprTo(node: Node, to: CType, env: CostEnv): ExprInfo;
  /** Evaluates `node` as a condition (`if`, `while`, `and`/`or` operands). */
  condition(node: Node, env: CostEnv): void;
  /** A call expression whose typer view is `info`. */
  call(node: Node, info: ExprInfo, env: CostEnv): void;
  statement(node: Node, env: CostEnv): void;
  /** The statements of a block, in order (statements after a terminator dropped as the compiler drops them). */
  block(node: Node | null, env: CostEnv): void;
  /** A function or class definition (decorated or not). */
  definition(node: Node, env: CostEnv): void;
}

/** Facts about the function being walked that decide the cost of its def line (its error exit). */
export interface FunctionFacts {
  /** Some statement can raise: the function gets an error exit (traceback, unraisable warning...). */
  raises: boolean;
  /** Lines of `return` statements inside `with nogil` blocks (each adds a GIL re-acquisition on exit). */
  returns: number;
}

export interface CostEnv {
  readonly walk: CostWalk;
  readonly model: ModuleModel;
  readonly sink: CostSink;
  readonly state: GilState;
  readonly scope: Scope;
  readonly fn: FunctionInfo | undefined;
  readonly cls: ClassInfo | undefined;
  readonly directives: Readonly<Directives>;
  /** Where a Python-level statement binds names: module globals, a class body, or function locals. */
  readonly level: 'module' | 'class' | 'function';
  /** Inside a `cdef class` body: methods are slots of the type, `self` is a C argument. */
  readonly inExtensionClass?: boolean;
  readonly facts: FunctionFacts;
  /** Ids of the top-level class's members not walked in this unit (engine/definition-units.ts). */
  readonly skip?: ReadonlySet<number>;
  /** The unit is one method of the class: the class's own costs (attributes...) belong to another unit. */
  readonly methodUnit?: boolean;
  /** The fused-type specialisation being walked (fused functions with an `object` member: one walk each). */
  readonly specialisation?: Specialisation;
  /**
   * What-if (what-if.ts): directives set on the definition with this node id after its own decorators, as a new
   * `@cython.<directive>(value)` decorator would set them.
   */
  readonly forceDef?: { readonly id: number; readonly set: Readonly<Partial<Directives>> };
}

export function gilHeld(env: CostEnv): boolean {
  return env.state.kind === 'held';
}

export function lineOf(node: { startPosition: { row: number } }): number {
  return node.startPosition.row;
}

/** A `cdef class`, or a class the compiler makes one in pure Python mode (`@cython.cclass`, the augmenting .pxd). */
export function isExtensionClassNode(cls: Node, env: CostEnv): boolean {
  return cls.type === 'cdef_class_definition' || isPureExtensionClass(cls, env.model.declarations.scope);
}
