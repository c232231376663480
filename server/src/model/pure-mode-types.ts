/**
 * The C types of Cython's `cython` module in pure Python mode (Shadow.py): `cython.int`, `cython.ulonglong`,
 * `cython.doublecomplex`, the pointer typedefs `cython.p_double` / `cython.pp_const_char`, and `cython.pointer[T]`
 * (resolved by the type resolver, which knows T).
 */

const INT_TYPES = ['char', 'short', 'Py_UNICODE', 'int', 'Py_UCS4', 'long', 'longlong', 'Py_hash_t', 'Py_ssize_t',
  'size_t', 'ssize_t', 'ptrdiff_t'];
const FLOAT_TYPES = ['longdouble', 'double', 'float'];
const COMPLEX_TYPES = ['longdoublecomplex', 'doublecomplex', 'floatcomplex', 'complex'];
const OTHER_TYPES = ['bint', 'void'];
const SPELLING: Record<string, string> = {
  longlong: 'long long', longdouble: 'long double', longdoublecomplex: 'long double complex',
  doublecomplex: 'double complex', floatcomplex: 'float complex', complex: 'double complex',
};

/** The C spelling of every scalar name of the `cython` module (`ulonglong` → `unsigned long long`). */
function scalarSpellings(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of INT_TYPES) {
    const c = SPELLING[name] ?? name;
    out.set(name, c);
    if (!['Py_UNICODE', 'Py_UCS4', 'Py_hash_t', 'ptrdiff_t'].includes(name) && !name.endsWith('size_t')) {
      out.set(`u${name}`, `unsigned ${c}`);
      out.set(`s${name}`, `signed ${c}`);
    }
  }
  for (const name of [...FLOAT_TYPES, ...COMPLEX_TYPES, ...OTHER_TYPES]) out.set(name, SPELLING[name] ?? name);
  return out;
}

/** Read-only after construction (built once at load, never changed). */
const SCALAR_SPELLINGS: ReadonlyMap<string, string> = scalarSpellings();

/**
 * A `cython.X` type name as C type syntax (`{ base: 'double', pointers: 1 }` for `cython.p_double`), or undefined when
 * X is not one of the module's C types. `const_` variants lose their const (not needed by the checks).
 */
export function pureModeTypeName(name: string): { base: string; pointers: number } | undefined {
  const n = name.replace(/\s+/g, '');
  if (!n.startsWith('cython.')) return undefined;
  let rest = n.slice('cython.'.length);
  let pointers = 0;
  const p = /^(p{1,3})_(\w+)$/.exec(rest);
  if (p) {
    pointers = p[1].length;
    rest = p[2];
  }
  if (rest.startsWith('const_')) rest = rest.slice('const_'.length);
  const base = SCALAR_SPELLINGS.get(rest);
  return base ? { base, pointers } : undefined;
}
