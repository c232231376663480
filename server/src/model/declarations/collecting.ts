/**
 * What the collectors of each statement kind (this folder) use of the module's `DeclarationCollector`
 * (declarations.ts): its context and scope, the type and signature readers, and the statement dispatch to collect
 * nested statements with.
 */
import type { CType, ClassInfo, FunctionSignature } from '../c-types';
import type { CimportBinder } from '../cimport-binder';
import type { DeclarationContext } from '../declaration-types';
import type { LazySignatures } from '../lazy-signatures';
import type { SignatureReader } from '../signature-reader';
import type { Node } from '../syntax';
import type { Scope, Symbol } from '../symbols';
import type { TypeSyntax } from '../type-syntax';

/** Where a statement stands: in an extern block, in a `nogil` block or extern. */
export interface StatementEnv { extern: boolean; externNogil: boolean }

export interface Collecting {
  readonly ctx: DeclarationContext;
  readonly scope: Scope;
  readonly signatures: SignatureReader;
  readonly cimports: CimportBinder;
  readonly lazySignatures: LazySignatures | undefined;
  resolveTypeNode(node: Node | null): CType;
  resolveTypeSyntax(ts: TypeSyntax): CType;
  lookupDotted(name: string): Symbol | undefined;
  signatureOf(node: Node, env: StatementEnv, cls: ClassInfo | undefined): FunctionSignature | undefined;
  collectStatement(raw: Node, env: StatementEnv): void;
  collectStatements(stmts: readonly Node[], env: StatementEnv): void;
}
