/** Helpers over scipy's declarations: parameter offsets, typedef expansion, array-ness, intent labels. */
import { LapackParam, LapackRoutine, normaliseParamName } from './database';

export interface DeclarationParts {
  /** The declaration without the trailing `noexcept nogil` (`void dgelss(int *m, ...)`). */
  readonly label: string;
  /** What follows the parameter list (`noexcept nogil`). */
  readonly qualifiers: string;
  /** [start, end) of each parameter's text inside `label`. */
  readonly paramOffsets: ReadonlyArray<readonly [number, number]>;
}

export function declarationParts(routine: LapackRoutine): DeclarationParts {
  const decl = routine.decl;
  const open = decl.indexOf('(');
  let depth = 0;
  let close = -1;
  for (let i = open; i < decl.length; i++) {
    if (decl[i] === '(') depth++;
    else if (decl[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (open < 0 || close < 0) throw new Error(`malformed declaration of ${routine.name}: ${decl}`);
  const offsets: Array<readonly [number, number]> = [];
  let start = open + 1;
  depth = 0;
  const push = (end: number): void => {
    let s = start;
    let e = end;
    while (s < e && decl[s] === ' ') s++;
    while (e > s && decl[e - 1] === ' ') e--;
    if (e > s) offsets.push([s, e]);
  };
  for (let i = open + 1; i < close; i++) {
    const ch = decl[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(close);
  if (offsets.length !== routine.params.length) {
    throw new Error(`declaration of ${routine.name} has ${offsets.length} parameters, expected ${routine.params.length}`);
  }
  return { label: decl.slice(0, close + 1), qualifiers: decl.slice(close + 1).trim(), paramOffsets: offsets };
}

/** `d *` → `double *` using the pxd's typedefs (callback types are left as named). */
export function expandType(type: string, typedefs: Readonly<Record<string, string>>): string {
  return type.replace(/\b[A-Za-z_]\w*\b/g, (word) =>
    Object.prototype.hasOwnProperty.call(typedefs, word) ? typedefs[word] : word);
}

/** The pointed-to type of a pointer parameter (`d *` → `d`). */
export function elementType(type: string): string {
  return type.replace(/\s*\*\s*$/, '').trim();
}

/** Whether LAPACK documents the argument as an array (`A is DOUBLE PRECISION array, dimension (LDA,N)`). */
export function isArrayParam(param: LapackParam): boolean {
  if (param.doc === undefined) return false;
  const first = param.doc.split('\n', 1)[0];
  return /^\s*\w+\s+is\s+.*\barray\b/i.test(first);
}

/** `in,out — overwritten`, `out`, `in`, or `?` when LAPACK does not document the argument. */
export function intentLabel(param: LapackParam): string {
  switch (param.intent) {
    case 'in,out':
      return 'in,out — overwritten';
    case 'out':
      return 'out';
    case 'in':
      return 'in';
    default:
      return '?';
  }
}

export function findParam(routine: LapackRoutine, normalisedName: string): LapackParam | undefined {
  return routine.params.find((p) => normaliseParamName(p.name) === normalisedName);
}
