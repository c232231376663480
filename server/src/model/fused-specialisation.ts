/**
 * Fused-type specialisations as the compiler sees them when it checks a fused function: each specialisation is a
 * copy of the function in which `fused_t is double`, `fused_t in floating`, `==`/`!=` and their negations are folded
 * to constants (ParseTreeTransforms.ReplaceFusedTypeChecks), then dead `if` branches and constant `with nogil(...)`
 * conditions are removed (Optimize.ConstantFolding) before GilCheck runs.
 */
import type { CType } from './c-types';
import type { Symbol } from './symbols';
import { type Node, namedChildren, significantChildren } from './syntax';

/** The member chosen for each fused type (by name) in one specialisation. */
export type Specialisation = ReadonlyMap<string, CType>;

/** What the tests need to know of the module: names, and a type written as an expression. */
export interface TypeLookup {
  lookupDotted(name: string): Symbol | undefined;
  resolveTypeNode(node: Node): CType;
}

const TYPE_TEST_OPERATORS = new Set(['is', 'is not', '==', '!=', 'in', 'not in']);

/** The fused type an operand names (`blas_t`, `cython.floating`), if any. */
export function fusedTypeOf(node: Node, lookup: TypeLookup): Extract<CType, { kind: 'fused' }> | undefined {
  if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
  const sym = lookup.lookupDotted(node.text);
  return sym?.kind === 'c-type' && sym.type.kind === 'fused' ? sym.type : undefined;
}

/** The two operands and the operator of a binary comparison (`a is not b` has one operator token pair). */
function comparisonParts(node: Node): { left: Node; op: string; right: Node } | undefined {
  if (node.type !== 'comparison_operator') return undefined;
  const operands = significantChildren(node);
  if (operands.length !== 2) return undefined;
  const op = node.children.filter((c) => c && !c.isNamed).map((c) => c!.text).join(' ');
  return TYPE_TEST_OPERATORS.has(op) ? { left: operands[0], op, right: operands[1] } : undefined;
}

const SCALAR_SPELLINGS: Record<string, string> = {
  'short int': 'short', 'signed short': 'short', 'signed short int': 'short', 'long int': 'long',
  'signed long': 'long', 'signed long int': 'long', 'signed int': 'int', signed: 'int', unsigned: 'unsigned int',
  'unsigned short int': 'unsigned short', 'unsigned long int': 'unsigned long', 'long long int': 'long long',
  'signed long long': 'long long', 'unsigned long long int': 'unsigned long long', longlong: 'long long',
  uint: 'unsigned int', ulong: 'unsigned long', doublecomplex: 'double complex', floatcomplex: 'float complex',
};

/** A key equal for types the compiler's `same_as` finds equal (typedefs compare by what they name). */
function typeKey(t: CType): string | undefined {
  switch (t.kind) {
    case 'scalar': {
      const name = (t.underlying ?? t.name).replace(/^cython\./, '');
      return SCALAR_SPELLINGS[name] ?? name;
    }
    case 'py': return `py ${t.name}`;
    case 'void': return 'void';
    case 'ptr': case 'array': case 'ref': {
      const base = typeKey(t.base);
      return base === undefined ? undefined : `${base}${t.kind === 'ptr' ? '*' : t.kind === 'ref' ? '&' : '[]'}`;
    }
    case 'memview': {
      const base = typeKey(t.base);
      return base === undefined ? undefined : `${base}[${t.ndim}]`;
    }
    case 'struct': return `struct ${t.info.name}`;
    case 'enum': return `enum ${t.name}`;
    case 'cpp': return t.args.length ? undefined : `cpp ${t.name}`;
    case 'fused': return `fused ${t.name}`;
    default: return undefined;
  }
}

/** A type written as an expression, with a fused type replaced by its member in this specialisation. */
function specificType(node: Node, lookup: TypeLookup, spec: Specialisation | undefined): CType | 'maybe' | undefined {
  const fused = fusedTypeOf(node, lookup);
  if (fused) return spec?.get(fused.name) ?? 'maybe';
  if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
  const t = lookup.resolveTypeNode(node);
  return t.kind === 'unknown' ? undefined : t;
}

/**
 * The value of a fused-type test (`blas_t is double`, `fused_t in cython.floating`): true/false in a specialisation
 * that fixes the fused types involved, 'maybe' when it does not, undefined when `node` is not such a test.
 */
export function fusedTypeTest(node: Node, lookup: TypeLookup, spec: Specialisation | undefined):
  boolean | 'maybe' | undefined {
  const parts = comparisonParts(node);
  if (!parts) return undefined;
  const { left, op, right } = parts;
  if (!fusedTypeOf(left, lookup) && !fusedTypeOf(right, lookup)) return undefined;
  if (op === 'in' || op === 'not in') {
    const container = fusedTypeOf(right, lookup);
    if (!container) return undefined;
    const member = specificType(left, lookup, spec);
    const key = member === undefined || member === 'maybe' ? undefined : typeKey(member);
    if (key === undefined) return 'maybe';
    const found = flatMembers(container).some((m) => typeKey(m) === key);
    return op === 'in' ? found : !found;
  }
  const a = specificType(left, lookup, spec);
  const b = specificType(right, lookup, spec);
  // One side is fused: a type the model cannot resolve keeps the test undecided rather than run-time code.
  if (a === undefined || b === undefined || a === 'maybe' || b === 'maybe') return 'maybe';
  const ka = typeKey(a);
  const kb = typeKey(b);
  if (ka === undefined || kb === undefined) return 'maybe';
  return (ka === kb) === (op === 'is' || op === '==');
}

/** The specific types of a fused type (nested fused types flattened, as PyrexTypes.get_specialized_types). */
function flatMembers(t: Extract<CType, { kind: 'fused' }>): CType[] {
  return t.members.flatMap((m) => (m.kind === 'fused' ? flatMembers(m) : [m]));
}

/** Upper bound on the specialisations walked separately; beyond it, tests stay 'maybe' (no guesses). */
export const MAX_SPECIALISATIONS = 32;

/** The fused types tested in a body (`blas_t is double`), by name, with their specific types, in the order found. */
export type FusedTests = ReadonlyMap<string, readonly CType[]>;

/**
 * The fused types that the fused-type tests in `body` name (outside any specialisation), with their specific types.
 * Functions keep it (FunctionInfo.fusedTests): `specialisationsFrom` gives each walk its specialisations from it.
 */
export function fusedTestsOf(body: Node, lookup: TypeLookup): FusedTests {
  const tested = new Map<string, CType[]>();
  if (!/\b(is|in)\b|[=!]=/.test(body.text)) return tested;
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    const parts = comparisonParts(n);
    if (parts) {
      const operands = parts.op === 'in' || parts.op === 'not in' ? [parts.left] : [parts.left, parts.right];
      for (const o of operands) {
        const f = fusedTypeOf(o, lookup);
        if (f && f.members.length) tested.set(f.name, flatMembers(f));
      }
      continue;
    }
    stack.push(...namedChildren(n));
  }
  return tested;
}

/**
 * The specialisations that decide the fused-type tests of a body (`fusedTestsOf`): one per combination of members of
 * the fused types tested there that `outer` (the enclosing function's specialisation) does not fix, or none when
 * nothing is left to test or there are too many.
 */
export function specialisationsFrom(tests: FusedTests, outer: Specialisation | undefined): Specialisation[] {
  if (!tests.size) return [];
  const tested = outer ? [...tests].filter(([name]) => !outer.has(name)) : [...tests];
  if (!tested.length) return [];
  let count = 1;
  for (const [, members] of tested) count *= members.length;
  if (count > MAX_SPECIALISATIONS) return [];
  let specs: Map<string, CType>[] = [new Map(outer ?? [])];
  for (const [name, members] of tested) {
    specs = specs.flatMap((s) => members.map((m) => new Map(s).set(name, m)));
  }
  return specs;
}

/**
 * The specialisations that decide the fused-type tests in `body`: one per combination of members of the fused types
 * tested there (only those matter for branch removal), or none when nothing is tested or there are too many.
 */
export function specialisationsFor(body: Node, lookup: TypeLookup, outer: Specialisation | undefined): Specialisation[] {
  return specialisationsFrom(fusedTestsOf(body, lookup), outer);
}
