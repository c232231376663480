/** What a Cython+ (cypclass) capability rule sees: one node of a document that declares a cypclass, typed in its scope. */
import type { DiagnosticCode } from '../../../../shared/src/diagnostic-codes';
import type { CType } from '../../model/c-types';
import type { ModuleModel } from '../../model/module-model';
import type { Scope } from '../../model/symbols';
import type { Node } from '../../model/syntax';

export interface CypclassContext {
  model: ModuleModel;
  /** The scope the node is in (a function's, or the module's). */
  scope: Scope;
  /** Whether the node is inside a function body. */
  inFunction: boolean;
  typeOf(node: Node): CType;
  report(node: Node, message: string): void;
}

export interface CypclassRule {
  readonly code: DiagnosticCode;
  readonly nodeTypes: readonly string[];
  check(node: Node, ctx: CypclassContext): void;
}

/** A cypclass type (`A`, `iso A`...), or undefined. */
export function cypclassOf(t: CType): Extract<CType, { kind: 'cpp' }> | undefined {
  return t.kind === 'cpp' && t.cypclass ? t : undefined;
}

/** A type we know is not a cypclass: a C scalar, pointer, struct, enum or a Python object (unknown is not). */
export function knownNonCypclass(t: CType): boolean {
  return t.kind === 'scalar' || t.kind === 'ptr' || t.kind === 'struct' || t.kind === 'enum' || t.kind === 'py'
    || (t.kind === 'cpp' && !t.cypclass);
}
