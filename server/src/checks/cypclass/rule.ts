/** What a Cython+ (cypclass) capability rule sees: one node of a document that declares a cypclass, typed in its scope. */
import type { DiagnosticCode } from '../../../../shared/src/diagnostic-codes';
import type { CType } from '../../model/c-types';
import type { ModuleModel } from '../../model/module-model';
import type { Scope } from '../../model/symbols';
import { type Node, field, significantChildren } from '../../model/syntax';

export interface CypclassContext {
  model: ModuleModel;
  /** The scope the node is in (a function's, or the module's). */
  scope: Scope;
  /** Whether the node is inside a function body. */
  inFunction: boolean;
  /** Whether the node is directly in a cypclass body (a field or method declaration). */
  inCypclassBody: boolean;
  typeOf(node: Node): CType;
  /**
   * `fix`: what a quick fix needs (code-actions/): `insert-consume` before the node `at`, `wrap-wlocked` of the
   * statement in `with wlocked <object>:`.
   */
  report(node: Node, message: string, fix?: CypclassFix): void;
}

export type CypclassFix = { fix: 'insert-consume'; at: Node } | { fix: 'wrap-wlocked'; object: string };

export interface CypclassRule {
  readonly code: DiagnosticCode;
  readonly nodeTypes: readonly string[];
  check(node: Node, ctx: CypclassContext): void;
}

export { cypclassType as cypclassOf } from '../../model/cypclass-capabilities';

/** A type we know is not a cypclass: a C scalar, pointer, struct, enum or a Python object (unknown is not). */
export function knownNonCypclass(t: CType): boolean {
  return t.kind === 'scalar' || t.kind === 'ptr' || t.kind === 'struct' || t.kind === 'enum' || t.kind === 'py'
    || (t.kind === 'cpp' && !t.cypclass);
}

/**
 * The `consume` quick fix for a cypclass value refused where a `to` reference is expected: handing the object over
 * (`iso~`) is accepted everywhere but by another `iso~`; only for values `consume` takes as they are written.
 */
export function consumeFix(value: Node, accepted: boolean): CypclassFix | undefined {
  if (!accepted || !['identifier', 'attribute', 'call', 'subscript', 'cast_expression'].includes(value.type)) return undefined;
  return { fix: 'insert-consume', at: value };
}

/**
 * Where the compiler places an expression (its node's `pos`): a call at its `(`, an attribute at its `.`, anything
 * else at its start; parentheses are not nodes of the compiler's tree.
 */
export function compilerNode(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && significantChildren(n).length === 1) n = significantChildren(n)[0];
  if (n.type === 'call') return field(n, 'arguments') ?? n;
  if (n.type === 'attribute') return n.children.find((c) => c?.type === '.') ?? n;
  return n;
}
