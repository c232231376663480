/**
 * The types the model assigns to declarations and expressions.
 *
 * The only question the GIL analysis really asks of a type is "is a value of this type a Python object?", and
 * "is it known at all?". `unknown` is the answer whenever the model cannot be sure (an unresolved cimport, a
 * construct we do not type): no GIL error is ever reported because of an unknown type.
 */

export type ExceptionSpec =
  /** `noexcept`, or the implicit spec of `cdef extern` functions: no exception check after a call. */
  | { kind: 'noexcept'; explicit: boolean }
  /** `except V`: the call is checked against V only. */
  | { kind: 'value'; value: string }
  /** `except? V`, also the implicit spec of non-extern functions whose return type has a default error value. */
  | { kind: 'query'; value: string; explicit: boolean }
  /** `except *`, and the implicit spec when no error value is available (void, structs, pxd declarations...). */
  | { kind: 'star'; explicit: boolean }
  /** `except +` (C++). */
  | { kind: 'cpp' };

export interface FunctionParam {
  name: string;
  type: CType;
  hasDefault: boolean;
}

export interface FunctionSignature {
  name: string;
  returnType: CType;
  params: FunctionParam[];
  varargs: boolean;
  nogil: boolean;
  withGil: boolean;
  exception: ExceptionSpec;
  /** `cdef`, `cpdef`, or `extern` (declared inside `cdef extern from`). */
  origin: 'cdef' | 'cpdef' | 'extern';
  inPxd: boolean;
  /** Where it is declared: file and 0-based position of the name. */
  location?: DeclLocation;
  /**
   * The declaration (its header: decorators, name, parameters, specs; not the body) holds a syntax error, or lies in
   * one: the reading of it is no ground for an error about its calls.
   */
  brokenDeclaration?: boolean;
}

export interface DeclLocation {
  uri: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

export interface StructInfo {
  name: string;
  fields: Map<string, CType>;
  /** Where the struct (or union) is declared: its name (navigation finds the fields there). */
  location?: DeclLocation;
}

export interface ClassInfo {
  name: string;
  /** cdef attributes (C typed or Python typed) and cdef/cpdef methods. */
  attributes: Map<string, CType>;
  methods: Map<string, FunctionSignature>;
  base?: string;
  location?: DeclLocation;
  /** A Cython+ `cdef cypclass`: a reference-counted C++ class whose use needs no GIL. */
  cypclass?: { activable: boolean; templates: string[] };
  /**
   * Why members not listed here may still exist (a base class we could not see, a syntax error in the body, a .pxd
   * with the class's attributes that was not found): such members are unknown, not Python attributes.
   */
  incomplete?: string;
  /** A `@cython.dataclasses.dataclass` cclass (pure Python mode): its annotated fields are public attributes. */
  dataclass?: boolean;
}

export type CType =
  /** A Python object. `name` is `object`, a builtin type (`list`, `dict`...) or an extension type. */
  | { kind: 'py'; name: string; cls?: ClassInfo; buffer?: { dtype: CType; ndim: number } }
  /** `underlying`: for a ctypedef of a scalar, the builtin C type at the end of the typedef chain. */
  | { kind: 'scalar'; name: string; family: 'int' | 'float' | 'complex' | 'bint' | 'char'; underlying?: string }
  | { kind: 'void' }
  | { kind: 'ptr'; base: CType }
  | { kind: 'array'; base: CType }
  | { kind: 'ref'; base: CType }
  | { kind: 'struct'; info: StructInfo }
  | { kind: 'enum'; name: string }
  | { kind: 'memview'; base: CType; ndim: number }
  /**
   * A C++ class; `cypclass` for a Cython+ cypclass, whose references carry a capability (`qualifier`, none for a
   * thread-local reference): `iso`, `lock`, `locked`, `active` or `const`.
   */
  | { kind: 'cpp'; name: string; cls?: ClassInfo; args: CType[]; cypclass?: boolean; qualifier?: CypclassQualifier }
  | { kind: 'func'; sig: FunctionSignature }
  | { kind: 'fused'; name: string; members: CType[] }
  | { kind: 'unknown'; reason: string };

/**
 * The reference capabilities of Cython+ (Parsing.p_c_simple_base_type, PyrexTypes.QualifiedCypclassType); the
 * compiler's own forms too: `iso~` (an isolated reference handed over: `consume x`, a function returning `iso A`),
 * `iso->` and `lock->` (a field or method argument seen through an `iso` or `lock` reference: viewpoint adaptation).
 */
export type CypclassQualifier = 'iso' | 'lock' | 'locked' | 'active' | 'const' | 'iso~' | 'iso->' | 'lock->';
export const CYPCLASS_QUALIFIERS: ReadonlySet<string> = new Set(['iso', 'lock', 'locked', 'active']);

export const PY_OBJECT: CType = { kind: 'py', name: 'object' };
export const VOID: CType = { kind: 'void' };
export const C_INT: CType = { kind: 'scalar', name: 'int', family: 'int' };
export const C_LONG: CType = { kind: 'scalar', name: 'long', family: 'int' };
export const C_DOUBLE: CType = { kind: 'scalar', name: 'double', family: 'float' };
export const C_DOUBLE_COMPLEX: CType = { kind: 'scalar', name: 'double complex', family: 'complex' };
export const C_BINT: CType = { kind: 'scalar', name: 'bint', family: 'bint' };
export const C_SIZE_T: CType = { kind: 'scalar', name: 'size_t', family: 'int' };
export const C_CHAR_PTR: CType = { kind: 'ptr', base: { kind: 'scalar', name: 'char', family: 'char' } };

/** The class whose methods a class body defines: a cdef class's, or a Cython+ cypclass's. */
export function definedClassOf(t: CType | undefined): ClassInfo | undefined {
  if (t?.kind === 'py') return t.cls;
  if (t?.kind === 'cpp' && t.cypclass) return t.cls;
  return undefined;
}

export function unknown(reason: string): CType {
  return { kind: 'unknown', reason };
}

export function py(name = 'object'): CType {
  return { kind: 'py', name };
}

export function isPy(t: CType): boolean {
  return t.kind === 'py';
}

export function isKnownC(t: CType): boolean {
  return t.kind !== 'py' && t.kind !== 'unknown';
}

export function isUnknown(t: CType): boolean {
  return t.kind === 'unknown';
}

/** C scalar type names Cython knows without any declaration (PyrexTypes' basic types and common typedefs). */
const SCALARS: Record<string, 'int' | 'float' | 'complex' | 'bint' | 'char'> = {
  char: 'char', short: 'int', int: 'int', long: 'int', 'long long': 'int', 'unsigned char': 'char',
  'signed char': 'char', 'unsigned short': 'int', 'unsigned int': 'int', 'unsigned long': 'int',
  'unsigned long long': 'int', 'signed short': 'int', 'signed int': 'int', 'signed long': 'int',
  'signed long long': 'int', unsigned: 'int', signed: 'int', 'short int': 'int', 'long int': 'int',
  'unsigned short int': 'int', 'unsigned long int': 'int', 'long long int': 'int',
  float: 'float', double: 'float', 'long double': 'float',
  'float complex': 'complex', 'double complex': 'complex', 'long double complex': 'complex',
  bint: 'bint', Py_ssize_t: 'int', size_t: 'int', ssize_t: 'int', Py_hash_t: 'int', ptrdiff_t: 'int',
  Py_UCS4: 'int', Py_UNICODE: 'int',
  // `cython.*` pure-Python spellings
  'cython.int': 'int', 'cython.long': 'int', 'cython.double': 'float', 'cython.float': 'float',
  'cython.bint': 'bint', 'cython.Py_ssize_t': 'int', 'cython.size_t': 'int', 'cython.char': 'char',
  'cython.longlong': 'int', 'cython.uint': 'int', 'cython.ulong': 'int', 'cython.doublecomplex': 'complex',
};

/** Python builtin types usable as declared types (`cdef list L`): all are Python objects. */
export const PY_BUILTIN_TYPES = new Set([
  'object', 'list', 'dict', 'tuple', 'set', 'frozenset', 'str', 'bytes', 'unicode', 'bytearray', 'type',
  'slice', 'basestring', 'Exception', 'BaseException', 'memoryview', 'range', 'bool',
]);

export function scalarType(name: string): CType | undefined {
  const family = SCALARS[name];
  return family ? { kind: 'scalar', name, family } : undefined;
}

/** The C type name as the user would write it, for hovers and messages. */
export function typeToString(t: CType): string {
  switch (t.kind) {
    case 'py': return t.name === 'object' ? 'object' : t.name;
    case 'scalar': return t.name;
    case 'void': return 'void';
    case 'ptr': return `${typeToString(t.base)}*`;
    case 'array': return `${typeToString(t.base)}[]`;
    case 'ref': return `${typeToString(t.base)}&`;
    case 'struct': return t.info.name;
    case 'enum': return t.name;
    case 'memview': return `${typeToString(t.base)}[${Array(t.ndim).fill(':').join(', ')}]`;
    case 'cpp': {
      const name = t.args.length ? `${t.name}[${t.args.map(typeToString).join(', ')}]` : t.name;
      return t.qualifier ? `${t.qualifier} ${name}` : name;
    }
    case 'func': return signatureToString(t.sig);
    case 'fused': return t.name;
    case 'unknown': return 'unknown';
  }
}

export function exceptionToString(e: ExceptionSpec): string {
  switch (e.kind) {
    case 'noexcept': return e.explicit ? 'noexcept' : '';
    case 'value': return `except ${e.value}`;
    case 'query': return e.explicit ? `except? ${e.value}` : '';
    case 'star': return e.explicit ? 'except *' : '';
    case 'cpp': return 'except +';
  }
}

export function signatureToString(sig: FunctionSignature): string {
  const params = sig.params.map((p) => `${typeToString(p.type)} ${p.name}`.trim());
  if (sig.varargs) params.push('...');
  const specs = [exceptionToString(sig.exception), sig.nogil ? 'nogil' : '', sig.withGil ? 'with gil' : '']
    .filter((s) => s).join(' ');
  return `${typeToString(sig.returnType)} ${sig.name}(${params.join(', ')})${specs ? ' ' + specs : ''}`;
}

/**
 * Whether a call needs an exception check, and whether that check has a value to compare against first
 * (without one, a nogil caller must acquire the GIL after every call to look at the error indicator).
 */
export function exceptionCheckWithoutValue(sig: FunctionSignature): boolean {
  return sig.exception.kind === 'star';
}

/** The implicit exception spec Cython 3 gives a non-extern cdef function without an exception clause. */
export function implicitException(returnType: CType, origin: FunctionSignature['origin'], inPxd: boolean,
  inClass: boolean): ExceptionSpec {
  if (origin === 'extern') return { kind: 'noexcept', explicit: false };
  // Python object returns propagate exceptions through NULL: no separate check.
  if (returnType.kind === 'py') return { kind: 'noexcept', explicit: false };
  const value = defaultErrorValue(returnType);
  if (value !== undefined && !inPxd && !inClass) return { kind: 'query', value, explicit: false };
  if (returnType.kind === 'unknown') return { kind: 'query', value: '?', explicit: false };
  return { kind: 'star', explicit: false };
}

function defaultErrorValue(t: CType): string | undefined {
  if (t.kind === 'scalar') return t.family === 'complex' ? undefined : '-1';
  if (t.kind === 'enum') return '-1';
  if (t.kind === 'ptr') return 'NULL';
  return undefined;
}
