/** Python builtins, and the ones Cython compiles to plain C when their arguments are C values. */
import { Scope } from './symbols';
import { type CType, py, unknown } from './c-types';

const PY_BUILTINS = [
  'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable',
  'chr', 'classmethod', 'compile', 'complex', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec',
  'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id',
  'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'list', 'locals', 'map', 'max', 'memoryview', 'min',
  'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'property', 'range', 'repr', 'reversed', 'round', 'set',
  'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip',
  'unicode', 'basestring', 'xrange', 'long', 'reduce', 'unichr', 'NotImplemented', 'Ellipsis', '__import__',
  '__name__', '__file__', '__doc__', '__builtins__', '__debug__', 'exit', 'quit', 'copyright', 'credits',
  'license',
  'BaseException', 'Exception', 'ArithmeticError', 'AssertionError', 'AttributeError', 'BufferError',
  'EOFError', 'FloatingPointError', 'GeneratorExit', 'ImportError', 'ModuleNotFoundError', 'IndexError',
  'KeyError', 'KeyboardInterrupt', 'LookupError', 'MemoryError', 'NameError', 'NotImplementedError', 'OSError',
  'OverflowError', 'RecursionError', 'ReferenceError', 'RuntimeError', 'StopIteration', 'StopAsyncIteration',
  'SyntaxError', 'SystemError', 'SystemExit', 'TypeError', 'UnboundLocalError', 'UnicodeError',
  'UnicodeDecodeError', 'UnicodeEncodeError', 'ValueError', 'ZeroDivisionError', 'IOError', 'EnvironmentError',
  'Warning', 'UserWarning', 'DeprecationWarning', 'RuntimeWarning', 'FutureWarning', 'ResourceWarning',
  'PendingDeprecationWarning', 'SyntaxWarning', 'ImportWarning', 'UnicodeWarning', 'BytesWarning',
  'ConnectionError', 'TimeoutError', 'FileNotFoundError', 'PermissionError', 'BlockingIOError',
  'ChildProcessError', 'FileExistsError', 'InterruptedError', 'IsADirectoryError', 'NotADirectoryError',
  'ProcessLookupError', 'BrokenPipeError', 'ConnectionAbortedError', 'ConnectionRefusedError',
  'ConnectionResetError', 'ExceptionGroup', 'BaseExceptionGroup', 'EncodingWarning',
];

/** One argument of a builtin call, as the optimisation table sees it. */
export interface BuiltinArgument {
  type: CType;
  literal?: boolean;
  /** The value of a one-line string or bytes literal (`'a'`, `b'xy'`), else undefined. */
  stringValue?: string;
  /** The element types of a list or tuple literal argument (`min((a, b))`), else undefined. */
  elements?: CType[];
  /**
   * The type is the one the compiler gives the argument (a declared variable, attribute, element or cast), not
   * the model's estimate of an arithmetic result (whose integer promotions and ranks it does not follow exactly).
   */
  exact?: boolean;
}

/** What the compiler makes of a builtin call. */
export type BuiltinCallOutcome =
  /** Plain C code (a cast, a C function declared nogil, a conditional expression): no GIL needed. */
  | { kind: 'c'; type: CType; literal?: boolean }
  /**
   * A call of a C function not declared nogil (`len(obj)` → PyObject_Length, `ord(c)` → __Pyx_uchar_cast,
   * `isinstance(x, T)` → PyObject_IsInstance): "Calling gil-requiring function", but no argument tuple.
   * `boxesArguments`: its C arguments become Python objects. `type` may be a C type or a Python object.
   */
  | { kind: 'needs-gil'; type: CType; boxesArguments: boolean }
  /** A Python call (the default for every builtin not in the table or whose arguments do not fit). */
  | { kind: 'python' }
  /** A compile error or a type we cannot see: say nothing. */
  | { kind: 'unknown'; reason: string };

interface OptimisedBuiltin {
  /** Where the compiler does it. */
  readonly compiler: string;
  outcome(args: readonly BuiltinArgument[], keywords: number, span: (types: CType[]) => CType): BuiltinCallOutcome;
}

const PY_SSIZE_T: CType = { kind: 'scalar', name: 'Py_ssize_t', family: 'int' };
const PYTHON: BuiltinCallOutcome = { kind: 'python' };

/** The C types that have their own abs() overload (Builtin.py builtin_function_table), by spelling. */
const C_ABS_TYPES: ReadonlyMap<string, 'real' | 'complex'> = new Map([
  ...['double', 'float', 'int', 'long', 'long long', 'unsigned int', 'unsigned long', 'unsigned long long']
    .map((n): [string, 'real'] => [n, 'real']),
  ...['float complex', 'double complex', 'long double complex'].map((n): [string, 'complex'] => [n, 'complex']),
]);

const SPELLINGS: Record<string, string> = {
  signed: 'int', 'signed int': 'int', unsigned: 'unsigned int', 'long int': 'long', 'signed long': 'long',
  'signed long int': 'long', 'unsigned long int': 'unsigned long', 'long long int': 'long long',
  'signed long long': 'long long', 'signed long long int': 'long long', 'unsigned long long int': 'unsigned long long',
  longlong: 'long long', ulong: 'unsigned long', uint: 'unsigned int', complex: 'double complex',
  doublecomplex: 'double complex', floatcomplex: 'float complex', longdoublecomplex: 'long double complex',
};

/** A C scalar's type as the compiler compares it (a typedef is the type it names; `cython.` names are C names). */
function scalarKey(t: Extract<CType, { kind: 'scalar' }>): string {
  const name = (t.underlying ?? t.name).replace(/^cython\./, '').replace(/\s+/g, ' ').trim();
  return SPELLINGS[name] ?? name;
}
const isChar = (t: CType): boolean => t.kind === 'scalar' && (t.family === 'char' || /\bchar$/.test(t.name));
const isUnicodeChar = (t: CType): boolean => t.kind === 'scalar' && /^(Py_UCS4|Py_UNICODE)$/.test(t.name);
const isCNumber = (t: CType): boolean => t.kind === 'scalar' || t.kind === 'enum' || t.kind === 'fused';
const unknownIn = (args: readonly BuiltinArgument[]): CType | undefined =>
  args.map((a) => a.type).find((t) => t.kind === 'unknown');

/**
 * Builtins the compiler turns into C code, and when (Cython/Compiler/Optimize.py, Builtin.py). Any call that does
 * not match its entry stays a Python call. Loop builtins (range, reversed, enumerate) are in loop-iteration.ts.
 */
export const OPTIMISED_BUILTINS: ReadonlyMap<string, OptimisedBuiltin> = new Map<string, OptimisedBuiltin>([
  ['abs', {
    compiler: 'Builtin.py: abs() overloads fabs/fabsf/abs/labs/__Pyx_abs_longlong, the unsigned ints and __Pyx_c_abs, '
      + 'all nogil with strict signatures (PyrexTypes.best_match: the argument type itself, a typedef of it); any '
      + 'other type (short, char, Py_ssize_t, size_t, long double, bint, enums) takes the "O" overload '
      + '__Pyx_PyNumber_Absolute, a C function without nogil: the argument becomes a Python object',
    outcome(args, keywords) {
      if (args.length !== 1 || keywords) return PYTHON;
      const t = args[0].type;
      if (t.kind === 'unknown') return { kind: 'unknown', reason: 'abs()' };
      if (t.kind === 'py') return PYTHON;
      const match = (m: CType): string | undefined => m.kind === 'scalar' ? C_ABS_TYPES.get(scalarKey(m)) : undefined;
      if (t.kind === 'fused') {
        // each specialisation takes the overload of its member; we cannot tell them apart here
        return t.members.every((m) => match(m) !== undefined) ? { kind: 'c', type: t } : { kind: 'unknown', reason: 'abs() of a fused type' };
      }
      const overload = match(t);
      if (overload === 'complex') {
        const real = (t.kind === 'scalar' ? scalarKey(t) : '').replace(/\s*complex$/, '') || 'double';
        return { kind: 'c', type: { kind: 'scalar', name: real, family: 'float' } };
      }
      if (overload !== undefined) return { kind: 'c', type: t };
      if (!isCNumber(t)) return PYTHON;
      // An arithmetic result's exact C type (its promotions) is not modelled: say nothing rather than guess.
      if (!args[0].exact) return { kind: 'unknown', reason: 'abs() of a C expression whose exact type is not known' };
      return { kind: 'needs-gil', type: { kind: 'py', name: 'object' }, boxesArguments: true };
    },
  }],
  ...(['min', 'max'] as const).map((name): [string, OptimisedBuiltin] => [name, {
    compiler: 'Optimize.py EarlyReplaceBuiltinCalls._optimise_min_max: a chain of CondExprNodes (no keywords)',
    outcome(args, keywords, span) {
      if (keywords) return PYTHON;
      const operands = args.length === 1 && args[0].elements ? args[0].elements : args.map((a) => a.type);
      if (operands.length < 2) return PYTHON;
      if (operands.some((t) => t.kind === 'py')) return PYTHON;
      const u = operands.find((t) => t.kind === 'unknown');
      if (u) return { kind: 'unknown', reason: `${name}()` };
      return { kind: 'c', type: span(operands) };
    },
  }]),
  ['len', {
    compiler: 'Optimize.py _handle_simple_function_len: memoryview → shape[0]; char* → __Pyx_ssize_strlen (not nogil); '
      + 'otherwise PyObject_Length on the argument as an object',
    outcome(args, keywords) {
      if (args.length !== 1 || keywords) return PYTHON;
      const t = args[0].type;
      if (t.kind === 'unknown') return { kind: 'unknown', reason: 'len()' };
      if (t.kind === 'memview') return { kind: 'c', type: PY_SSIZE_T };
      if (t.kind === 'ptr' && isChar(t.base)) return { kind: 'needs-gil', type: PY_SSIZE_T, boxesArguments: false };
      if (t.kind === 'ptr') return { kind: 'unknown', reason: 'len() of a pointer: a compile error' };
      if (isUnicodeChar(t)) return { kind: 'c', type: PY_SSIZE_T, literal: true };
      if (t.kind === 'py' && args[0].literal) return { kind: 'unknown', reason: 'len() of a constant' };
      return { kind: 'needs-gil', type: PY_SSIZE_T, boxesArguments: t.kind !== 'py' };
    },
  }],
  ['ord', {
    compiler: "Optimize.py _handle_simple_function_ord: ord('x') is a constant; Builtin.py: ord(char) → "
      + '__Pyx_uchar_cast and ord(Py_UCS4) → __Pyx_long_cast (neither declared nogil); else __Pyx_PyObject_Ord',
    outcome(args, keywords) {
      if (args.length !== 1 || keywords) return PYTHON;
      const a = args[0];
      if (a.stringValue !== undefined && [...a.stringValue].length === 1) {
        return { kind: 'c', type: { kind: 'scalar', name: 'long', family: 'int' }, literal: true };
      }
      if (a.type.kind === 'unknown') return { kind: 'unknown', reason: 'ord()' };
      if (isChar(a.type)) return { kind: 'needs-gil', type: { kind: 'scalar', name: 'unsigned char', family: 'char' }, boxesArguments: false };
      if (isUnicodeChar(a.type)) return { kind: 'needs-gil', type: { kind: 'scalar', name: 'long', family: 'int' }, boxesArguments: false };
      if (a.type.kind === 'py') return { kind: 'needs-gil', type: { kind: 'scalar', name: 'long', family: 'int' }, boxesArguments: false };
      return { kind: 'unknown', reason: 'ord() of a C value' };
    },
  }],
  ['float', {
    compiler: 'Optimize.py _handle_simple_function_float: float(C number) is a C cast to double, float(object) a C call returning a double',
    outcome(args, keywords) {
      if (args.length !== 1 || keywords) return PYTHON;
      const t = args[0].type;
      if (t.kind === 'unknown') return { kind: 'unknown', reason: 'float()' };
      if (isUnicodeChar(t)) return { kind: 'unknown', reason: 'float() of a character' };
      if (isCNumber(t)) return { kind: 'c', type: { kind: 'scalar', name: 'double', family: 'float' } };
      // float() is typed as returning a C double (Builtin.py): of a Python object it is a C-API call returning a
      // double (__Pyx_PyUnicode_AsDouble, __Pyx_PyObject_AsDouble...), which needs the GIL; no argument tuple
      if (t.kind === 'py') return { kind: 'needs-gil', type: { kind: 'scalar', name: 'double', family: 'float' }, boxesArguments: false };
      return PYTHON;
    },
  }],
  ...(['int', 'bool'] as const).map((name): [string, OptimisedBuiltin] => [name, {
    compiler: 'Optimize.py _optimise_numeric_cast_call / _handle_simple_function_bool: C only when the result is '
      + 'coerced back to C (depends on where it is used)',
    outcome(args, keywords) {
      if (args.length !== 1 || keywords) return PYTHON;
      const t = args[0].type;
      return t.kind === 'py' ? PYTHON : { kind: 'unknown', reason: `${name}() of a C value` };
    },
  }]),
  ['divmod', {
    compiler: 'Builtin.py _generate_divmod_function: divmod() of two C ints or floats is __Pyx_divmod_<type> (a C tuple)',
    outcome(args, keywords) {
      if (args.length !== 2 || keywords) return PYTHON;
      if (args.every((a) => a.type.kind === 'scalar' && (a.type.family === 'int' || a.type.family === 'float'))) {
        return { kind: 'unknown', reason: 'C tuple' };
      }
      if (unknownIn(args) && args.every((a) => a.type.kind !== 'py')) return { kind: 'unknown', reason: 'divmod()' };
      return PYTHON;
    },
  }],
]);

/** Builtins that are themselves Cython language constructs rather than Python objects. */
const CYTHON_LANGUAGE_NAMES = ['sizeof', 'typeof', 'address', 'NULL', 'cython', 'prange', 'parallel', 'threadid'];

let builtinScope: Scope | undefined;

export function builtinsScope(): Scope {
  if (builtinScope) return builtinScope;
  const scope = new Scope('builtins', undefined);
  for (const name of PY_BUILTINS) {
    scope.define({ name, kind: 'builtin', type: py(name), binding: 'builtin', origin: 'Python builtin' });
  }
  for (const name of CYTHON_LANGUAGE_NAMES) {
    scope.define({
      name, kind: 'cython-builtin', type: unknown('Cython language name'), binding: 'builtin',
      origin: 'Cython language',
    });
  }
  builtinScope = scope;
  return scope;
}

/**
 * Builtins that Builtin.py declares as C functions (builtin_function_table: argument and return codes, as in
 * TypeSlots.Signature: O object, i int, b bint, z Py_ssize_t, h Py_hash_t, r int error code). Called with a matching
 * number of positional arguments they are C calls needing the GIL, not Python calls (no argument tuple).
 */
const C_SIGNATURE_BUILTINS: Record<string, { args: string; ret: string; pyReturn?: string }[]> = {
  abs: [{ args: 'O', ret: 'O' }],
  ascii: [{ args: 'O', ret: 'O', pyReturn: 'str' }], bin: [{ args: 'O', ret: 'O', pyReturn: 'str' }],
  callable: [{ args: 'O', ret: 'b' }], chr: [{ args: 'i', ret: 'O', pyReturn: 'str' }],
  delattr: [{ args: 'OO', ret: 'r' }], dir: [{ args: 'O', ret: 'O' }],
  format: [{ args: 'OO', ret: 'O', pyReturn: 'str' }, { args: 'O', ret: 'O', pyReturn: 'str' }],
  getattr: [{ args: 'OOO', ret: 'O' }, { args: 'OO', ret: 'O' }], hasattr: [{ args: 'OO', ret: 'b' }],
  hash: [{ args: 'O', ret: 'h' }], hex: [{ args: 'O', ret: 'O', pyReturn: 'str' }],
  isinstance: [{ args: 'OO', ret: 'b' }], issubclass: [{ args: 'OO', ret: 'b' }],
  iter: [{ args: 'OO', ret: 'O' }, { args: 'O', ret: 'O' }], next: [{ args: 'O', ret: 'O' }, { args: 'OO', ret: 'O' }],
  oct: [{ args: 'O', ret: 'O', pyReturn: 'str' }], pow: [{ args: 'OOO', ret: 'O' }, { args: 'OO', ret: 'O' }],
  repr: [{ args: 'O', ret: 'O', pyReturn: 'str' }], setattr: [{ args: 'OOO', ret: 'r' }],
  unichr: [{ args: 'i', ret: 'O', pyReturn: 'str' }], divmod: [{ args: 'OO', ret: 'O' }],
};

const RETURN_CODES: Record<string, CType> = {
  b: { kind: 'scalar', name: 'bint', family: 'bint' }, z: PY_SSIZE_T, r: { kind: 'scalar', name: 'int', family: 'int' },
  h: { kind: 'scalar', name: 'Py_hash_t', family: 'int' }, i: { kind: 'scalar', name: 'int', family: 'int' },
};

/**
 * What the compiler makes of `name(args)`: the optimisation table first, then Builtin.py's C signatures; a Python
 * call otherwise.
 */
export function builtinCallOutcome(name: string, args: readonly BuiltinArgument[], keywords: number,
  span: (types: CType[]) => CType): BuiltinCallOutcome {
  const optimised = OPTIMISED_BUILTINS.get(name)?.outcome(args, keywords, span);
  if (optimised && optimised.kind !== 'python') return optimised;
  if (keywords) return PYTHON;
  const sig = C_SIGNATURE_BUILTINS[name]?.find((s) => s.args.length === args.length);
  if (!sig) return PYTHON;
  const type = sig.ret === 'O' ? py(sig.pyReturn ?? 'object') : RETURN_CODES[sig.ret] ?? unknown(name);
  return { kind: 'needs-gil', type, boxesArguments: sig.args.includes('O') };
}
