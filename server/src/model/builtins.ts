/** Python builtins, and the ones Cython compiles to plain C when their arguments are C values. */
import { Scope } from './symbols';
import { py, unknown } from './c-types';

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

/** Builtins that Cython replaces by C code when every argument is a C value (Optimize.py, Builtin.py). */
export const C_ON_C_ARGS = new Set(['abs', 'min', 'max', 'len', 'sizeof', 'typeof']);

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
