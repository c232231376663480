/**
 * The shapes shared by the declaration collector and the cimport binder: what a cimport asks for, who resolves it,
 * the context a module's declarations are collected in, and what the collection yields.
 */
import type { Node } from './syntax';
import type { Scope, ModuleSymbols } from './symbols';

export interface CimportRequest {
  /** The dotted module name as written (`libc.math`), without leading dots. */
  module: string;
  /** Number of leading dots of a relative cimport. */
  level: number;
  node: Node;
}

/** Resolves cimported modules; supplied by the caller (the workspace or the CLI), cached there. */
export interface CimportResolver {
  resolve(request: CimportRequest, fromUri: string): ModuleSymbols | undefined;
}

export interface DeclarationContext {
  uri: string;
  resolver: CimportResolver;
  /** Declarations visible before this file's own (the companion .pxd of a .pyx). */
  companion?: ModuleSymbols;
  inPxd: boolean;
  /**
   * A Cython+ module (it defines a cypclass): compiled by cython-plus, a Cython 3.0a6, where a cdef function without
   * an exception clause has no exception check (Parsing.p_exception_value_clause).
   */
  cythonPlus?: boolean;
}

export interface UnresolvedCimport {
  module: string;
  node: Node;
  /** An `include "x.pxi"` that was not found (`module` is the path as written). */
  include?: boolean;
}

export interface ModuleDeclarations extends ModuleSymbols {
  scope: Scope;
  unresolved: UnresolvedCimport[];
  /** `include "x.pxi"` paths as written. */
  includes: { path: string; node: Node }[];
}
