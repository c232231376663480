/**
 * The places that spell a cdef function's signature and must agree: its definition in the .pyx and, when it
 * exists, its declaration in the companion .pxd. Functions declared in `cdef extern` blocks are not the user's.
 */
import * as fs from 'node:fs';
import type { DeclLocation } from '../model/c-types';
import { uriToPath } from '../model/pxd-resolver';
import type { Node } from '../model/syntax';
import { classOf, enclosingFunction, findFunction, isExtern, isPureDef } from './function-signatures';
import type { SourceFile, SourceFiles } from '../model/source-files';

export interface FunctionSite {
  file: SourceFile;
  node: Node;
}

export interface FunctionSites {
  name: string;
  cls: string | undefined;
  /** The definition with its body (in a .pyx), when found. */
  definition?: FunctionSite;
  /** The declaration in the .pxd, when there is one. */
  declaration?: FunctionSite;
}

function nodeAt(file: SourceFile, line: number, character: number): Node | null {
  const offset = file.lines.offsetAt({ line, character });
  return file.tree.rootNode.descendantForIndex(offset, offset);
}

function companionPath(file: string, ext: '.pyx' | '.pxd'): string | undefined {
  const other = file.replace(/\.(pyx|pxd)$/, ext);
  if (other === file) return undefined;
  try {
    return fs.statSync(other).isFile() ? other : undefined;
  } catch {
    return undefined;
  }
}

/** Sites of the function whose definition or declaration contains `node` in `file`. */
export function sitesOfNode(files: SourceFiles, file: SourceFile, node: Node | null): FunctionSites | undefined {
  const fn = enclosingFunction(node);
  if (!fn || isExtern(fn)) return undefined;
  const name = fn.childForFieldName('name')?.text;
  if (!name) return undefined;
  const cls = classOf(fn);
  const here: FunctionSite = { file, node: fn };
  const path = uriToPath(file.uri);
  const inPxd = file.uri.endsWith('.pxd');
  // `cdef inline f(...):` with its body in a .pxd: the only site.
  if (inPxd && fn.type === 'c_function_definition') return { name, cls, definition: here };
  const otherPath = path ? companionPath(path, inPxd ? '.pyx' : '.pxd') : undefined;
  const other = otherPath ? files.getPath(otherPath) : undefined;
  const otherNode = other ? findFunction(other.tree.rootNode, name, cls) : undefined;
  const otherSite = other && otherNode && !isExtern(otherNode) ? { file: other, node: otherNode } : undefined;
  if (inPxd) return { name, cls, declaration: here, definition: otherSite };
  // a def made a C function by @cython.cfunc / @cython.ccall (pure Python mode; no companion .pxd looked up)
  if (isPureDef(fn)) return file.uri.endsWith('.py') ? { name, cls, definition: here } : undefined;
  if (fn.type !== 'c_function_definition') return undefined;
  return { name, cls, definition: here, declaration: otherSite };
}

/** Sites of the function declared at `location` (a callee's `declaredAt`). */
export function sitesAt(files: SourceFiles, location: DeclLocation): FunctionSites | undefined {
  const file = files.get(location.uri);
  if (!file) return undefined;
  return sitesOfNode(files, file, nodeAt(file, location.line, location.character));
}

/** Every site, definition first. */
export function allSites(sites: FunctionSites): FunctionSite[] {
  return [sites.definition, sites.declaration].filter((s): s is FunctionSite => s !== undefined);
}
