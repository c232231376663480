/** What the estimator carries while walking a definition: GIL state, scope, directives, and where costs go. */
import type { ClassInfo } from '../model/c-types';
import type { FunctionInfo } from '../model/function-scope';
import type { GilState } from '../model/gil-state';
import type { ModuleModel } from '../model/module-model';
import type { Scope } from '../model/symbols';
import type { Specialisation } from '../model/fused-specialisation';
import type { Directives } from './directives';
import type { CostSink } from './line-costs';

/** Facts about the function being walked that decide the cost of its def line (its error exit). */
export interface FunctionFacts {
  /** Some statement can raise: the function gets an error exit (traceback, unraisable warning...). */
  raises: boolean;
  /** Lines of `return` statements inside `with nogil` blocks (each adds a GIL re-acquisition on exit). */
  returns: number;
}

export interface CostEnv {
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
}

export function gilHeld(env: CostEnv): boolean {
  return env.state.kind === 'held';
}

export function lineOf(node: { startPosition: { row: number } }): number {
  return node.startPosition.row;
}
