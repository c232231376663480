/**
 * The markdown of hovers: a name's type (C type or Python object) and where it is declared, a C function's
 * declaration with its exception spec and whether it can be called without the GIL, a BLAS/LAPACK routine's
 * documentation, and the GIL state at the hovered point.
 */
import * as path from 'node:path';
import { renderRoutineHover, type LapackRoutine } from '../lapack';
import { type CType, type DeclLocation, type ExceptionSpec, type FunctionSignature, signatureToString, typeToString }
  from '../model/c-types';
import type { Symbol } from '../model/symbols';
import type { LapackDatabase } from '../lapack/database';
import { lapackTypedefs } from '../lapack/symbols';
import { plainCapability } from '../checks/cypclass/capabilities-plain';

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

function fence(text: string): string {
  return `\`\`\`cython\n${text}\n\`\`\``;
}

const BINDING: Record<Symbol['binding'], string> = {
  local: 'local', argument: 'argument', module: 'global', class: 'attribute', builtin: 'builtin', closure: 'closure',
};

/** "Python object (`list`)", "`double*`", "unknown type" — the type part of a hover title. */
export function describeType(t: CType): string {
  if (t.kind === 'py') return t.name === 'object' ? 'Python object' : `Python object (${code(t.name)})`;
  if (t.kind === 'unknown') return `type unknown to Cython Lens (${t.reason})`;
  // Cython+: a cypclass reference's capability in words
  if (t.kind === 'cpp' && t.cypclass) return `${code(typeToString(t))}, ${plainCapability(t.qualifier)}`;
  return code(typeToString(t));
}

/** Where a declaration lives, relative to the hovered document. */
export function describeLocation(loc: DeclLocation | undefined, currentUri: string): string | undefined {
  if (!loc) return undefined;
  if (loc.uri === currentUri) return `declared at line ${loc.line + 1}`;
  const file = decodeURIComponent(loc.uri.replace(/^file:\/\//, ''));
  return `declared in ${code(path.basename(file))} line ${loc.line + 1}`;
}

/** The title line of a non-function name. */
export function describeSymbol(name: string, sym: Symbol): string {
  const n = code(name);
  switch (sym.kind) {
    case 'c-variable':
      return `${n}: ${describeType(sym.type)} (C variable, ${BINDING[sym.binding]})`;
    case 'py-variable':
      return `${n}: ${describeType(sym.type)} (${BINDING[sym.binding]})`;
    case 'py-function':
      return `${n}: Python function (a Python object)`;
    case 'py-class':
      return `${n}: Python class (a Python object)`;
    case 'ext-class':
      return `${n}: extension type (\`cdef class\`); instances are Python objects`;
    case 'c-type':
      return `${n}: C type ${code(typeToString(sym.type))}`;
    case 'cimported-module':
      return `${n}: cimported module${sym.module?.name ? ` ${code(sym.module.name)}` : ''} (C declarations)`;
    case 'py-module':
      return `${n}: Python module (a Python object)`;
    case 'builtin':
      return `${n}: Python builtin ${describeType(sym.type)}`;
    case 'cython-builtin':
      return `${n}: Cython builtin`;
    case 'unresolved':
      return `${n}: unknown (its .pxd was not found)`;
    case 'c-function':
      return `${n}: C function`;
  }
}

export function describeException(e: ExceptionSpec, returnType: CType): string {
  switch (e.kind) {
    case 'noexcept':
      return returnType.kind === 'py' ? 'Exceptions propagate through its Python object result.'
        : `No exception check after a call${e.explicit ? ' (`noexcept`)' : ' (extern functions are `noexcept`)'}.`;
    case 'value':
      return `Signals an exception by returning ${code(e.value)} (\`except ${e.value}\`).`;
    case 'query':
      return `May raise: when it returns ${code(e.value)} the caller checks for an exception` +
        `${e.explicit ? '' : ' (implicit `except? ' + e.value + '`)'}.`;
    case 'star':
      return `The caller checks for an exception after every call${e.explicit ? ' (`except *`)'
        : ' (implicit `except *`)'}; in nogil code that check briefly acquires the GIL.`;
    case 'cpp':
      return 'C++ exceptions are translated into Python exceptions (`except +`); calling it needs the GIL to raise.';
  }
}

export function describeGilRequirement(sig: FunctionSignature): string {
  if (sig.withGil) return 'Callable without the GIL: it acquires the GIL itself (`with gil`).';
  if (sig.nogil) return 'Callable without the GIL (declared `nogil`).';
  return 'Needs the GIL: not declared `nogil`, so calling it inside `with nogil:` is an error.';
}

/** The hover of a C function: declaration, exception behaviour, GIL requirement, location. */
export function functionHover(sig: FunctionSignature, sym: Symbol | undefined, currentUri: string): string[] {
  const kind = sig.origin === 'extern' ? 'cdef extern' : sig.origin;
  const parts = [fence(`${kind === 'cdef extern' ? '' : kind + ' '}${signatureToString(sig)}`.trim())];
  parts.push(`${describeGilRequirement(sig)}  \n${describeException(sig.exception, sig.returnType)}`);
  const where = [describeLocation(sig.location ?? sym?.location, currentUri), sym?.origin].filter((s) => s);
  if (where.length) parts.push(where.join(' · '));
  return parts;
}

/** The routine documentation from the database, rendered by the lapack module. */
export function routineHover(db: LapackDatabase | undefined, routine: LapackRoutine): string {
  let lapackVersion: string | undefined;
  try {
    lapackVersion = db?.lapackVersion;
  } catch {
    lapackVersion = undefined;
  }
  return renderRoutineHover(routine, { typedefs: lapackTypedefs(db), lapackVersion });
}
