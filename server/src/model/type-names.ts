/**
 * C types spelled as the compiler prints them in its messages (PyrexTypes: `long` for `long int`, `double *`,
 * `int **`), or undefined when we cannot be sure of the spelling.
 */
import type { CType } from './c-types';

/** Spellings Cython treats as the same builtin type. */
const ALIASES: Record<string, string> = {
  'long int': 'long', 'short int': 'short', 'long long int': 'long long', 'unsigned long int': 'unsigned long',
  'unsigned short int': 'unsigned short', 'unsigned long long int': 'unsigned long long', unsigned: 'unsigned int',
  'signed short int': 'signed short', 'signed long int': 'signed long',
};

/** The compiler's name of a builtin type (`long int` → `long`). */
export function builtinName(name: string): string {
  return ALIASES[name] ?? name;
}

/** The type as the compiler prints it ("Cannot assign type ..."), undefined when we cannot spell it exactly. */
export function typeName(t: CType): string | undefined {
  switch (t.kind) {
    case 'scalar': return builtinName(t.name);
    case 'void': return 'void';
    case 'struct': return t.info.name;
    case 'ptr': {
      const base = typeName(t.base);
      if (base === undefined || t.base.kind === 'func' || t.base.kind === 'array') return undefined;
      return t.base.kind === 'ptr' ? `${base}*` : `${base} *`;
    }
    default: return undefined;
  }
}
