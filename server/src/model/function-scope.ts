/**
 * The local scope of a function: parameters, `cdef` locals, and untyped locals whose type Cython infers.
 *
 * Untyped locals follow Cython's "safe" inference (TypeInference.safe_spanning_type): C doubles, pointers, structs,
 * memoryviews, C++ classes and C integers are inferred from what is assigned; comparisons, Python values and
 * anything unknown make the local a Python object (or unknown, when we cannot tell). The `infer_types` directive
 * (model/directives.ts) changes this: True infers C types from every assignment, augmented ones included (no
 * overflow guard: TypeInference.aggressive_spanning_type), False makes every untyped local a Python object.
 */
import { keptCompileTimeBranch } from './compile-time-branch';
import { type CType, type ClassInfo, type FunctionSignature, PY_OBJECT, py, unknown } from './c-types';
import type { DeclarationCollector } from './declarations';
import { assignmentTargets, namesIn, patternCaptures } from './assignment-targets';
import { type Node, field, locationOf, namedChildren, significantChildren } from './syntax';
import { Scope, type Symbol } from './symbols';
import { mightOverflowNames } from './overflow-marking';
import { reachableStatements } from './reachability';
import { type FusedTests, type Specialisation, fusedTestsOf, specialisationsFrom } from './fused-specialisation';
import { gilTransitions, prangeOf } from './gil-state';
import { isPrintStatementCall } from './print-statement';
import { pureModeDecorators } from './signature-reader';
import { type PureDeclaration, declaredNames, pureDeclarationOf } from './pure-declarations';
import { typeSyntaxOf } from './type-resolution';
import { inferredType } from './cypclass-capabilities';
import { splitTopLevel } from './type-syntax';

export interface FunctionInfo {
  node: Node;
  scope: Scope;
  /** Only for cdef/cpdef functions. */
  signature?: FunctionSignature;
  isPythonFunction: boolean;
  cls?: ClassInfo;
  /** Untyped locals that the inference made Python objects, with the first assignment (for messages). */
  pythonLocals: Symbol[];
  /**
   * The fused types its body tests (`fused_t is double`), read once for every walk of the function (GIL walk,
   * annotator): undefined when not computed (no compile-time constants given to buildFunctionScope) or no body.
   */
  fusedTests?: FusedTests;
}

/** Kinds of nodes that start a new scope: their contents are not locals of the enclosing function. */
export const SCOPE_NODES = new Set(['function_definition', 'c_function_definition', 'class_definition',
  'cdef_class_definition', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension',
  'generator_expression']);

interface PendingLocal {
  name: Node;
  /** `{ unpacked }`: the value a target list (`q, r = ...`) or a chained assignment takes its items from. */
  /** `{ rangeArg }`: an argument of the `range()` a loop variable iterates over (a Python one makes it an object). */
  values: (Node | 'py' | 'c-loop' | { rangeArg: Node } | { iterable: Node } | { augmented: Node } | { unpacked: Node })[];
}

/** A compile-time condition's value (module-model.ts), in a fused specialisation if given. */
export type ConstantOf = (cond: Node, spec: Specialisation | undefined) => boolean | 'maybe' | undefined;

export function buildFunctionScope(
  fn: Node, parent: Scope, collector: DeclarationCollector, signature: FunctionSignature | undefined,
  cls: ClassInfo | undefined, typeOf: (node: Node, scope: Scope) => CType, removeUnreachable = true,
  complete: (name: string) => boolean = () => false, inferTypes: boolean | null = null, constant?: ConstantOf, printStatements = false,
): FunctionInfo {
  const scope = new Scope('function', cls?.cypclass ? cypclassMemberScope(cls, parent) : parent);
  // (a def made a C function in pure Python mode, or by an augmenting .pxd, has a signature)
  const isPythonFunction = fn.type === 'function_definition' && signature === undefined;
  // parameters
  if (signature) {
    for (const p of signature.params) {
      if (p.name) scope.define({ name: p.name, kind: p.type.kind === 'py' ? 'py-variable' : 'c-variable', type: p.type,
        binding: 'argument' });
    }
  } else {
    const params = field(fn, 'parameters');
    let first = true;
    for (const p of params ? significantChildren(params) : []) {
      const param = collector.parameterOf(p);
      if (!param) continue;
      let type = param.type;
      if (first && cls && param.name === 'self') type = { kind: 'py', name: cls.name, cls };
      first = false;
      if (param.name) scope.define({ name: param.name, kind: type.kind === 'py' ? 'py-variable' : 'c-variable', type,
        binding: 'argument', location: locationOf(collector.ctx.uri, p) });
    }
  }
  // `@cython.locals(x=cython.int, r=cython.double)` on a def: the C types of its arguments and locals (pure Python
  // mode; a C function's arguments already have them in its signature)
  const locals = fn.type === 'function_definition' ? pureModeDecorators(fn).get('locals') : undefined;
  for (const arg of locals ? splitTopLevel(locals) : []) {
    const m = /^\s*(\w+)\s*=\s*([\s\S]+)$/.exec(arg);
    if (!m) continue;
    const type = collector.resolveTypeSyntax(typeSyntaxOf(m[2]!.trim()));
    const argument = scope.lookupLocal(m[1]!)?.binding === 'argument';
    scope.define({ name: m[1]!, kind: type.kind === 'unknown' ? 'unresolved' : type.kind === 'py' ? 'py-variable' : 'c-variable',
      type, binding: argument ? 'argument' : 'local' });
  }
  const pending = new Map<string, PendingLocal>();
  const declaredGlobal = new Set<string>();
  // Which locals each pass declares, and whether the declaration came after a `with gil:` block had started
  // (see below); one pass per fused specialisation, whose pruned branches declare nothing.
  let declared = new Map<string, boolean>();
  const declaredPerPass: Map<string, boolean>[] = [];
  let afterGilBlock = false;
  const declare = (name: string): void => {
    if (!declared.has(name)) declared.set(name, afterGilBlock);
  };
  const addPending = (name: Node, value: PendingLocal['values'][number]): void => {
    if (declaredGlobal.has(name.text)) return;
    declare(name.text);
    if (scope.lookupLocal(name.text) && !pending.has(name.text)) return;
    const p = pending.get(name.text);
    if (p) {
      p.values.push(value);
    } else {
      pending.set(name.text, { name, values: [value] });
    }
  };
  // The names each `cdef` declaration declares (collected in the first pass, replayed in the others).
  const cdefNames = new Map<number, string[]>();
  const collectCdef = (d: Node, firstPass: boolean): void => {
    if (firstPass) {
      const before = new Set(scope.symbols.keys());
      collector.collectVariables(d, scope, 'local');
      cdefNames.set(d.id, [...scope.symbols.keys()].filter((n) => !before.has(n)));
    }
    for (const n of cdefNames.get(d.id) ?? []) declare(n);
  };
  // `x = cython.declare(T)`, `cython.declare(x=T, y=U)` (pure Python mode): C locals of the declared types
  // (Nodes.SingleAssignmentNode / ExprStatNode.analyse_declarations: env.declare_var(..., is_cdef=True)).
  const declarePure = (d: PureDeclaration): void => {
    for (const { name, type } of declaredNames(d)) {
      if (declaredGlobal.has(name.text)) continue;
      declare(name.text);
      if (scope.lookupLocal(name.text)?.binding === 'argument') continue;
      const t = collector.resolveTypeSyntax(typeSyntaxOf(type.text));
      pending.delete(name.text);
      scope.define({ name: name.text, kind: t.kind === 'unknown' ? 'unresolved' : t.kind === 'py' ? 'py-variable' : 'c-variable',
        type: t, binding: 'local', location: locationOf(collector.ctx.uri, name) });
    }
  };
  // The compiler declares a function's locals in one pass over its body (analyse_declarations), in which every
  // `with gil:` / `with nogil:` block sets a flag of the scope that is never reset (Nodes.GILStatNode.
  // analyse_declarations: `env._in_with_gil_block = (self.state == 'gil')`); a local first declared while it is set
  // is exempt from "Function declared nogil has Python locals" (Nodes.CFuncDefNode.nogil_check). A `raise` in nogil
  // code is such a block too (InjectGilHandling wraps it in `with gil:` before the declarations are analysed).
  const nogilFunction = signature !== undefined && signature.nogil && !signature.withGil;
  const live = (cond: Node | null, spec: Specialisation | undefined): boolean | 'maybe' | undefined =>
    cond && constant ? constant(cond, spec) : undefined;
  const transitions = (c: Node, spec: Specialisation | undefined): ('gil' | 'nogil')[] =>
    // `with nogil(False):` is removed before the declarations (ConstantFolding.visit_GILStatNode)
    gilTransitions(c).filter((t) => !t.condition || live(t.condition, spec) !== false).map((t) => t.to);

  const visit = (node: Node, spec: Specialisation | undefined, first: boolean, nogil: boolean): void => {
    // Unreachable statements are removed by the compiler before it declares anything (reachability.ts).
    for (const c of node.type === 'block' && removeUnreachable ? reachableStatements(namedChildren(node))
      : namedChildren(node)) {
      if (SCOPE_NODES.has(c.type) || c.type === 'decorated_definition') {
        const name = field(c.type === 'decorated_definition' ? (field(c, 'definition') ?? c) : c, 'name');
        if (name) addPending(name, 'py');
        continue;
      }
      switch (c.type) {
        case 'cdef_statement': case 'cdef_block':
          for (const d of descendantsOfType(c, 'c_variable_declaration')) collectCdef(d, first);
          continue;
        case 'c_variable_declaration':
          collectCdef(c, first);
          continue;
        case 'global_statement': case 'nonlocal_statement':
          for (const n of namedChildren(c)) if (n.type === 'identifier') declaredGlobal.add(n.text);
          continue;
        case 'assignment': case 'augmented_assignment': {
          const pure = c.type === 'assignment' ? pureDeclarationOf(c) : undefined;
          if (pure) {
            // `x = cython.declare(T[, value])`, `T = cython.typedef(...)`: declared, not inferred (pure Python mode)
            declarePure(pure);
            break;
          }
          const right = field(c, 'right');
          const annotation = field(c, 'type');
          const annotated = field(c, 'left');
          if (annotation && annotated?.type === 'identifier' && !scope.lookupLocal(annotated.text)) {
            // `x: cython.int = 0` declares x (pure Python mode annotations)
            const t = collector.resolveTypeNode(annotation);
            if (t.kind !== 'unknown') {
              scope.define({ name: annotated.text, kind: t.kind === 'py' ? 'py-variable' : 'c-variable', type: t,
                binding: 'local', location: locationOf(collector.ctx.uri, annotated) });
              break;
            }
          }
          const targets = assignmentTargets(c);
          for (const t of targets) {
            const simple = targets.length === 1 && field(c, 'left')?.type === 'identifier';
            addPending(t, !right ? 'py' : !simple ? (c.type === 'assignment' ? { unpacked: finalValue(right) } : 'py')
              : c.type === 'assignment' ? finalValue(right) : { augmented: right });
          }
          break;
        }
        case 'for_statement': {
          const left = field(c, 'left');
          const right = field(c, 'right');
          if (left) {
            const names = namesIn(left);
            const cLoop = names.length === 1 && right !== null && isRangeCall(right);
            for (const n of names) {
              addPending(n, cLoop ? 'c-loop' : right && names.length === 1 ? { iterable: right } : 'py');
            }
            const args = cLoop && right ? field(right, 'arguments') : null;
            for (const a of args ? significantChildren(args) : []) {
              if (a.type !== 'keyword_argument') addPending(names[0], { rangeArg: a });
            }
          }
          break;
        }
        case 'for_from_statement': {
          const target = field(c, 'target');
          if (target) addPending(target, 'c-loop');
          break;
        }
        case 'if_statement': {
          // Branches with a compile-time false condition are removed before the declarations (ConstantFolding;
          // ReplaceFusedTypeChecks in each specialisation of a fused function), as in gil-walker.ts walkIf.
          const own = live(field(c, 'condition'), spec);
          let taken = own === true;
          for (const part of namedChildren(c)) {
            if (part.type === 'elif_clause' || part.type === 'else_clause') {
              if (taken) break;
              const value = part.type === 'elif_clause' ? live(field(part, 'condition'), spec) : undefined;
              if (value === false) continue;
              visit(part, spec, first, nogil);
              taken = value === true;
            } else if (part.type !== 'block' || own !== false) {
              visit(part, spec, first, nogil);
            }
          }
          continue;
        }
        case 'raise_statement': case 'print_statement':
          if (nogil) afterGilBlock = true; // an implicit `with gil:` (InjectGilHandling)
          visit(c, spec, first, false);
          continue;
        case 'expression_statement': {
          if (nogil && printStatements && isPrintStatementCall(c)) afterGilBlock = true; // language level 2
          const pure = pureDeclarationOf(c);
          if (pure?.kind === 'declare-names') {
            declarePure(pure);
            continue;
          }
          break;
        }
        case 'with_statement': case 'with_gil_statement': case 'with_nogil_statement': {
          const steps = transitions(c, spec);
          if (steps.length) {
            afterGilBlock = steps[steps.length - 1] === 'gil';
            visit(c, spec, first, steps[steps.length - 1] === 'nogil');
            continue;
          }
          break;
        }
        case 'case_pattern':
          // `case [x, *rest]:` binds Python locals (MatchCaseNode.analyse_case_declarations)
          for (const n of patternCaptures(c)) addPending(n, 'py');
          continue;
        case 'as_pattern': {
          const alias = field(c, 'alias');
          if (alias) for (const n of namesIn(alias)) addPending(n, 'py');
          break;
        }
        case 'except_clause': {
          const alias = field(c, 'alias') ?? namedChildren(c).find((x) => x.type === 'identifier'
            && x.previousSibling?.type === 'as');
          if (alias && alias.type === 'identifier') addPending(alias, 'py');
          break;
        }
        case 'import_statement': case 'import_from_statement':
          for (const n of namedChildren(c)) {
            const bound = n.type === 'aliased_import' ? field(n, 'alias') : n.type === 'dotted_name'
              ? namedChildren(n)[0] : null;
            if (bound && c.type === 'import_from_statement' && n === field(c, 'module_name')) continue;
            if (bound) addPending(bound, 'py');
          }
          break;
        case 'named_expression': {
          const name = field(c, 'name');
          const value = field(c, 'value');
          if (name && value) addPending(name, value);
          break;
        }
        case 'compile_time_if_statement': {
          // only the branch the compiler keeps declares anything (compile-time-branch.ts)
          const kept = constant ? keptCompileTimeBranch(c, (cond) => constant(cond, spec)) : undefined;
          if (kept === undefined) break;
          if (kept) visit(kept, spec, first, nogil);
          continue;
        }
        default:
          break;
      }
      // InjectGilHandling: a prange loop's body is nogil code if it says `nogil=True`, else not.
      const prange = c.type === 'for_statement' ? prangeOf(c) : undefined;
      visit(c, spec, first, prange ? prange.nogil : nogil);
    }
  };
  const body = field(fn, 'body');
  let fusedTests: FusedTests | undefined;
  if (body) {
    fusedTests = constant ? fusedTestsOf(body, collector) : undefined;
    const specs = fusedTests ? specialisationsFrom(fusedTests, undefined) : [];
    (specs.length ? specs : [undefined]).forEach((spec, i) => {
      declared = new Map();
      afterGilBlock = false;
      visit(body, spec, i === 0, nogilFunction);
      declaredPerPass.push(declared);
    });
  }
  /** Whether some specialisation declares the local outside the scope of the flag set by a `with gil:` block. */
  const reportedLocal = (name: string): boolean => declaredPerPass.some((d) => d.get(name) === false);

  // Infer in two rounds so that locals assigned from other inferred locals settle.
  const pythonLocals: Symbol[] = [];
  const inferred = new Map<string, CType>();
  // Safe inference keeps integer locals used in arithmetic as objects (overflow-marking.ts).
  const overflowing = body && inferTypes === null ? mightOverflowNames(body) : new Set<string>();
  for (let round = 0; round < 2; round++) {
    for (const [name, p] of pending) {
      const sym: Symbol = { name, kind: 'py-variable', type: unknown('being inferred'), binding: 'local',
        location: locationOf(collector.ctx.uri, p.name), inferred: true };
      if (round === 0) scope.define(sym);
    }
    for (const [name, p] of pending) {
      const sym = scope.lookupLocal(name)!;
      let type: CType;
      if (inferTypes === false) {
        type = PY_OBJECT;
      } else if (inferTypes === true) {
        // `x += y` assigns the arithmetic of x's other assignments and y (FlowControl: the in-place binop).
        const direct = p.values.filter((v) => typeof v === 'string' || !('augmented' in v));
        const base = spanning(direct.map((v) => cTupleType(v, scope, typeOf) ?? valueType(v, scope, typeOf)));
        sym.type = base;
        const augmented = p.values.flatMap((v) => typeof v !== 'string' && 'augmented' in v
          ? [arithmeticType(base, typeOf(v.augmented, scope))] : []);
        type = direct.length === 0 ? PY_OBJECT : spanning([base, ...augmented]);
      } else {
        // `x += y` assigns the arithmetic of x's other assignments and y, as with infer_types=True; an integer result
        // may overflow (the in-place operator marks x: overflow-marking.ts), a C double is safe (`cost -= 1`)
        const direct = p.values.filter((v) => typeof v === 'string' || !('augmented' in v));
        const base = spanning(direct.map((v) => valueType(v, scope, typeOf)));
        const augmented = p.values.flatMap((v) => typeof v !== 'string' && 'augmented' in v
          ? [arithmeticType(base, typeOf(v.augmented, scope))] : []);
        const spanned = safelyInferred(direct.length === 0 ? PY_OBJECT
          : augmented.length ? spanning([base, ...augmented]) : base);
        type = overflowing.has(name) && isIntegral(spanned) ? PY_OBJECT : spanned;
      }
      inferred.set(name, type);
      sym.type = type;
      sym.kind = type.kind === 'py' ? 'py-variable' : 'c-variable';
    }
  }
  for (const name of pending.keys()) {
    const sym = scope.lookupLocal(name);
    if (sym && sym.type.kind === 'py' && reportedLocal(name)) pythonLocals.push(sym);
  }
  for (const name of declaredGlobal) {
    scope.symbols.delete(name);
    // `global x` in a function makes x a module-level Python global even if the module never assigns it.
    // (unless it may be declared where we cannot see: an unresolved cimport, a missing include)
    if (!parent.lookup(name)) {
      const py = complete(name);
      scope.define({ name, kind: py ? 'py-variable' : 'unresolved',
        type: py ? PY_OBJECT : unknown(`global ${name} not found`), binding: 'module' });
    }
  }
  // Declared Python-object locals (`cdef object o`, `cdef list L`) count as Python locals too.
  for (const sym of scope.symbols.values()) {
    if (sym.binding === 'local' && sym.type.kind === 'py' && !pending.has(sym.name) && reportedLocal(sym.name)) {
      pythonLocals.push(sym);
    }
  }
  return { node: fn, scope, signature, isPythonFunction, cls, pythonLocals, ...(fusedTests ? { fusedTests } : {}) };
}

/** A C integer (or enum) type: what safe inference refuses for a local that may overflow. */
function isIntegral(t: CType): boolean {
  return (t.kind === 'scalar' && (t.family === 'int' || t.family === 'char')) || t.kind === 'enum';
}

/** `a = b = expr`: the value is the last right-hand side. */
function finalValue(right: Node): Node {
  let r = right;
  while (r.type === 'assignment') {
    const next = field(r, 'right');
    if (!next) break;
    r = next;
  }
  return r;
}

function isRangeCall(node: Node): boolean {
  if (node.type !== 'call') return false;
  const fn = field(node, 'function');
  return fn !== null && /^(range|xrange|prange|cython\.parallel\.prange)$/.test(fn.text);
}

function valueType(v: PendingLocal['values'][number], scope: Scope, typeOf: (node: Node, scope: Scope) => CType):
  CType {
  if (v === 'py') return PY_OBJECT;
  if (v === 'c-loop') return { kind: 'scalar', name: 'long', family: 'int' };
  // safe inference: an in-place operation may overflow a C integer, so the local stays an object (might_overflow)
  if ('augmented' in v) return PY_OBJECT;
  if ('iterable' in v) return elementType(typeOf(v.iterable, scope));
  // Items of a Python object are objects; of a C tuple (`q, r = divmod(a, b)` on C ints: Builtin.py
  // _generate_divmod_function) or anything we cannot type, unknown (the model has no C tuple type).
  if ('unpacked' in v) return typeOf(v.unpacked, scope).kind === 'py' ? PY_OBJECT : unknown('item of an unpacked value');
  if ('rangeArg' in v) {
    // Cython loops over range() in C only when every argument is a C value; otherwise the variable is an object.
    return typeOf(v.rangeArg, scope).kind === 'py' ? PY_OBJECT : { kind: 'scalar', name: 'long', family: 'int' };
  }
  const node = v;
  // A comparison infers as a Python object (CmpNode.infer_type), `not x` as a C bint (NotNode.infer_unop_type, whatever
  // x is), True/False as a C bint (BoolNode.type): `flag = False` then `flag = True` under nogil is C code.
  if (node.type === 'comparison_operator') return py('bool');
  if (node.type === 'not_operator' || node.type === 'true' || node.type === 'false') {
    return { kind: 'scalar', name: 'bint', family: 'bint' };
  }
  return typeOf(node, scope);
}

/**
 * A tuple of C values is a C tuple (ExprNodes.TupleNode.infer_type: no element a Python object, memoryview or fused
 * type), which infer_types=True keeps (aggressive_spanning_type) and safe inference makes an object. The model has no
 * C tuple type: it is unknown, neither a Python object nor a type we can reason about.
 */
function cTupleType(v: PendingLocal['values'][number], scope: Scope, typeOf: (node: Node, scope: Scope) => CType):
  CType | undefined {
  if (typeof v === 'string' || !('type' in v)) return undefined;
  let node: Node = v;
  while (node.type === 'parenthesized_expression' && significantChildren(node).length === 1) node = significantChildren(node)[0];
  if (node.type !== 'tuple' && node.type !== 'expression_list') return undefined;
  const items = significantChildren(node);
  if (items.length === 0 || items.some((i) => i.type === 'list_splat')) return undefined;
  const types = items.map((i) => typeOf(i, scope));
  if (types.some((t) => t.kind === 'py' || t.kind === 'memview' || t.kind === 'fused')) return undefined;
  return unknown(types.some((t) => t.kind === 'unknown') ? 'element of a tuple' : 'C tuple');
}

/** The type of `a <op> b` for an in-place operation (as ExpressionTyper.binary). */
const C_INT_TYPE: CType = { kind: 'scalar', name: 'int', family: 'int' };

function arithmeticType(a: CType, b: CType): CType {
  if (a.kind === 'py' || b.kind === 'py') return PY_OBJECT;
  if (a.kind === 'unknown') return a;
  if (b.kind === 'unknown') return b;
  if (a.kind === 'ptr') return a;
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    // C arithmetic (PyrexTypes.widest_numeric_type), not inference's spanning: a bint operand counts as a C int
    // (`cost += not ok` with a float cost stays a float)
    if (a.family === 'bint' && b.family === 'bint') return a;
    const asNumber = (t: CType): CType => (t.kind === 'scalar' && t.family === 'bint' ? C_INT_TYPE : t);
    return spanning([asNumber(a), asNumber(b)]);
  }
  return unknown('in-place operation');
}

/**
 * The type that can hold every assigned value (TypeInference.find_spanning_type over them), or a Python object when
 * Cython would not infer a C type.
 */
export function spanning(rawTypes: CType[]): CType {
  if (rawTypes.length === 0) return PY_OBJECT;
  // Cython+: a local assigned a handed-over `iso~ A` is `iso A` (TypeInference.simply_type)
  if (rawTypes.some((t) => t.kind === 'cpp' && t.qualifier === 'iso~')) return spanning(rawTypes.map(inferredType));
  // A fused type with C members behaves like a C number in arithmetic (each specialisation is one).
  const fused = rawTypes.find((t) => t.kind === 'fused');
  if (fused && rawTypes.every((t) => t === fused || t.kind === 'scalar')) {
    return rawTypes.every((t) => t === fused) ? fused
      : fused.kind === 'fused' && fused.members.some((m) => m.kind === 'scalar' && m.family === 'float')
        ? { kind: 'scalar', name: 'double', family: 'float' } : fused;
  }
  const types = rawTypes;
  if (types.some((t) => t.kind === 'py')) return types.find((t) => t.kind === 'py' && t.name !== 'object') ?? PY_OBJECT;
  if (types.some((t) => t.kind === 'unknown')) return types.find((t) => t.kind === 'unknown')!;
  const first = types[0];
  if (types.every((t) => t.kind === 'scalar')) {
    const fams = types.map((t) => (t.kind === 'scalar' ? t.family : 'int'));
    // TypeInference.find_spanning_type: bint with bint stays a C bint (safe_spanning_type keeps it too: `flag = False`
    // then `flag = True` under nogil is C code), bint with any other type is a Python object
    if (fams.every((f) => f === 'bint')) return first;
    if (fams.includes('bint')) return PY_OBJECT;
    if (fams.includes('complex')) return { kind: 'scalar', name: 'double complex', family: 'complex' };
    if (fams.includes('float')) return widestFloat(types);
    return first;
  }
  if (types.every((t) => t.kind === first.kind)) return first;
  return unknown('mixed types assigned');
}

const FLOAT_RANK: Record<string, number> = { float: 1, double: 2, 'long double': 3 };

const isTypedef = (t: CType): boolean => t.kind === 'scalar' && t.underlying !== undefined && t.underlying !== t.name;

/**
 * The widest of C numbers at least one of which is a float (PyrexTypes.widest_numeric_type, pairwise from the left):
 * the higher rank wins; at the same rank a typedef wins over the builtin type (`d + r`, `r + 1.0` with
 * `ctypedef double real_t r` are real_t), and of two different typedefs the second.
 */
function widestFloat(types: CType[]): CType {
  let best: CType | undefined;
  let bestRank = 0;
  for (const t of types) {
    if (t.kind !== 'scalar' || t.family !== 'float') continue;
    const rank = FLOAT_RANK[(t.underlying ?? t.name).replace(/^cython\./, '')] ?? 2;
    if (!best || rank > bestRank || (rank === bestRank && isTypedef(t) && t.name !== (best.kind === 'scalar' ? best.name : ''))) {
      best = t;
      bestRank = rank;
    }
  }
  return best ?? { kind: 'scalar', name: 'double', family: 'float' };
}

/**
 * What Cython's safe type inference keeps as a C type (TypeInference.safe_spanning_type): a C float only when it is
 * `double` or `float` itself; a typedef of one (`ctypedef double real_t`) makes the variable a Python float.
 */
function safelyInferred(t: CType): CType {
  if (t.kind === 'scalar' && t.family === 'float' && isTypedef(t)) {
    return py('float'); // the Python type it is inferred as (the compiler type-tests what is assigned to it)
  }
  return t;
}

function descendantsOfType(node: Node, type: string): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    for (const c of namedChildren(n)) {
      if (c.type === type) out.push(c);
      else if (!SCOPE_NODES.has(c.type)) walk(c);
    }
  };
  walk(node);
  return out;
}

/** What a `for x in <iterable>` loop binds to x. */
function elementType(t: CType): CType {
  switch (t.kind) {
    case 'py': return PY_OBJECT;
    case 'memview': return t.ndim === 1 ? t.base : t;
    case 'ptr': case 'array': return t.base;
    case 'unknown': return t;
    default: return unknown('element of a C iterable');
  }
}

/**
 * Inside a cypclass method the class's fields and methods are named without `self.` (C++ member lookup), `this` is
 * the object, and the template parameters are types (unknown to us).
 */
function cypclassMemberScope(cls: ClassInfo, parent: Scope): Scope {
  const members = new Scope('members', parent);
  const self: CType = { kind: 'cpp', name: cls.name, cls, args: [], cypclass: true };
  for (const t of cls.cypclass?.templates ?? []) {
    members.define({ name: t, kind: 'c-type', type: { kind: 'unknown', reason: `template parameter ${t}` }, binding: 'class' });
  }
  for (const [name, type] of cls.attributes) {
    members.define({ name, kind: type.kind === 'py' ? 'py-variable' : 'c-variable', type, binding: 'class' });
  }
  for (const [name, sig] of cls.methods) {
    members.define({ name, kind: 'c-function', type: { kind: 'func', sig }, signature: sig, binding: 'class' });
  }
  members.define({ name: 'this', kind: 'c-variable', type: self, binding: 'class' });
  return members;
}
