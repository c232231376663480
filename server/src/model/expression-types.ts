/**
 * Expression typing: for every expression, its type (a C value, a Python object, or unknown) and whether
 * evaluating it yields an owned Python temporary. This is what decides whether an expression needs the GIL.
 */
import {
  type CType, type FunctionSignature, C_BINT, C_DOUBLE, C_DOUBLE_COMPLEX, C_LONG, C_SIZE_T, PY_OBJECT, py, unknown,
} from './c-types';
import { type BuiltinArgument, builtinCallOutcome } from './builtins';
import { LOOP_BUILTINS, type LoopPlan, loopOfIterableCall, loopPlan } from './loop-iteration';
import { scalarType } from './c-types';
import { type Node, field, fieldNodes, namedChildren, significantChildren } from './syntax';
import type { Scope, Symbol } from './symbols';
import { parseTypeText } from './type-syntax';
import { recordingLookups, replayLookups } from './lookup-recording';
import type { DeclarationCollector } from './declarations';
import { spanning } from './function-scope';
import { cypclassType, fieldThrough, methodThrough, returnedType, withCapability } from './cypclass-capabilities';

export interface ExprInfo {
  type: CType;
  /** Evaluating it creates a new Python reference (a call result, a global lookup, a container...). */
  temp: boolean;
  /** A literal constant: Python constants need no conversion, C literals convert at compile time. */
  literal?: boolean;
  /** A Python global or (non-cached) builtin lookup. */
  pyGlobal?: boolean;
  /** The symbol a name (or module attribute) resolved to. */
  symbol?: Symbol;
  /** For calls of C functions: the callee's signature. */
  callee?: FunctionSignature;
  /** A Python attribute lookup (`obj.attr` on a Python object). */
  pyAttribute?: boolean;
  /**
   * An imaginary literal (`7j`): a C `double complex` (ExprNodes.ImagNode); where it is coerced to an object the
   * compiler builds a Python complex instead ("Constructing complex number").
   */
  imaginary?: boolean;
  /** A builtin with a C result that still calls into Python (`len(obj)` → PyObject_Length). */
  builtinCallNeedsGil?: boolean;
  /** With builtinCallNeedsGil: its C arguments are converted to Python objects (`len(c_array)`). */
  builtinBoxesArguments?: boolean;
}

const UNKNOWN: ExprInfo = { type: unknown('not typed'), temp: false };

const MEMVIEW_C_ATTRS = new Set(['shape', 'strides', 'suboffsets', 'ndim', 'itemsize', 'nbytes', 'size']);

export class ExpressionTyper {
  private readonly cache = new Map<number, { info: ExprInfo; names: readonly string[] }>();
  /**
   * How many lookups met a local whose type is still being inferred (function-scope.ts infers in rounds): a result
   * computed meanwhile is provisional and not cached, so `out = p` typed before `p` is inferred is typed again later.
   */
  private provisional = 0;

  /**
   * `constant`: the value of a compile-time condition (module-model.ts), for `a if TEST else b`, which the compiler
   * folds to one operand; 'maybe' when it depends on a fused specialisation this typer does not fix.
   */
  constructor(private readonly collector: DeclarationCollector, readonly complete: (name: string) => boolean = () => false,
    private readonly constant: (cond: Node) => boolean | 'maybe' | undefined = () => undefined) {}

  /**
   * Types a node in a scope; results are cached per node for the lifetime of this typer, with the module-level names
   * they looked up (replayed on a hit, for the per-definition caches: lookup-recording.ts).
   */
  info(node: Node, scope: Scope): ExprInfo {
    const moduleScope = this.collector.scope;
    const cached = this.cache.get(node.id);
    if (cached) {
      replayLookups(moduleScope, cached.names);
      return cached.info;
    }
    const before = this.provisional;
    const { value: info, names } = recordingLookups(moduleScope, () => this.compute(node, scope));
    if (this.provisional === before) this.cache.set(node.id, { info, names });
    return info;
  }

  typeOf(node: Node, scope: Scope): CType {
    return this.info(node, scope).type;
  }

  private compute(node: Node, scope: Scope): ExprInfo {
    switch (node.type) {
      case 'identifier': return this.name(node, scope);
      case 'integer': case 'float':
        if (/[jJ]$/.test(node.text)) return { type: C_DOUBLE_COMPLEX, temp: false, literal: true, imaginary: true };
        return { type: node.type === 'integer' ? C_LONG : C_DOUBLE, temp: false, literal: true };
      case 'true': case 'false': return { type: C_BINT, temp: false, literal: true };
      case 'none': return { type: py('NoneType'), temp: false, literal: true };
      case 'ellipsis': return { type: PY_OBJECT, temp: false, literal: true };
      case 'string': return this.string(node);
      case 'concatenated_string': {
        const parts = significantChildren(node).map((c) => this.info(c, scope));
        if (parts.some((p) => !p.literal)) return { type: py('str'), temp: true };
        return parts[0] ?? UNKNOWN;
      }
      case 'parenthesized_expression': {
        const inner = significantChildren(node)[0];
        return inner ? this.info(inner, scope) : UNKNOWN;
      }
      case 'binary_operator': return this.binary(node, scope);
      case 'unary_operator': {
        const arg = field(node, 'argument');
        const a = arg ? this.info(arg, scope) : UNKNOWN;
        if (a.type.kind === 'py') return { type: PY_OBJECT, temp: true };
        return { type: a.type, temp: false, literal: a.literal };
      }
      case 'not_operator': return { type: C_BINT, temp: false };
      case 'boolean_operator': {
        const l = field(node, 'left');
        const r = field(node, 'right');
        const types = [l, r].filter((x): x is Node => x !== null).map((x) => this.info(x, scope));
        if (types.some((t) => t.type.kind === 'py')) return { type: PY_OBJECT, temp: true };
        return { type: spanningC(types.map((t) => t.type)), temp: false };
      }
      case 'comparison_operator': return this.comparison(node, scope);
      case 'conditional_expression': {
        const parts = significantChildren(node);
        const test = parts[1] ? this.constant(parts[1]) : undefined;
        if (test === true && parts[0]) return this.info(parts[0], scope);
        if (test === false && parts[2]) return this.info(parts[2], scope);
        if (test === 'maybe') return UNKNOWN; // differs between specialisations: no guess
        const a = parts[0] ? this.info(parts[0], scope) : UNKNOWN;
        const b = parts[2] ? this.info(parts[2], scope) : UNKNOWN;
        if (a.type.kind === 'py' || b.type.kind === 'py') return { type: PY_OBJECT, temp: true };
        return { type: spanningC([a.type, b.type]), temp: false };
      }
      case 'call': return this.call(node, scope);
      case 'attribute': return this.attribute(node, scope);
      case 'subscript': return this.subscript(node, scope);
      case 'list': case 'list_comprehension': return { type: py('list'), temp: true };
      case 'tuple': return { type: py('tuple'), temp: true };
      case 'dictionary': case 'dictionary_comprehension': return { type: py('dict'), temp: true };
      case 'set': case 'set_comprehension': return { type: py('set'), temp: true };
      case 'generator_expression': return { type: py('generator'), temp: true };
      case 'lambda': return { type: py('function'), temp: true };
      case 'await': case 'yield': return { type: PY_OBJECT, temp: true };
      case 'named_expression': {
        const v = field(node, 'value');
        return v ? this.info(v, scope) : UNKNOWN;
      }
      case 'cast_expression': return this.cast(node, scope);
      case 'address_of': {
        const v = field(node, 'value') ?? significantChildren(node)[0];
        const inner = v ? this.info(v, scope).type : unknown('address');
        return { type: inner.kind === 'unknown' ? inner : { kind: 'ptr', base: inner }, temp: false };
      }
      case 'sizeof_expression': return { type: C_SIZE_T, temp: false };
      case 'new_expression': {
        const t = field(node, 'type');
        const resolved = t ? this.collector.resolveTypeSyntax(parseTypeText(t.text)) : unknown('new');
        // Cython+: `new A()` of a cypclass is a reference handed over (ExprNodes.NewExprNode.infer_type)
        const c = cypclassType(resolved);
        if (c) return { type: withCapability(c, 'iso~'), temp: false };
        return { type: resolved.kind === 'unknown' ? resolved : { kind: 'ptr', base: resolved }, temp: false };
      }
      case 'keyword_argument': {
        const v = field(node, 'value');
        return v ? this.info(v, scope) : UNKNOWN;
      }
      case 'consume_expression': {
        // ExprNodes.ConsumeNode: the object handed over, `iso~`; other values stay what they are (an error)
        const v = field(node, 'value');
        const inner = v ? this.info(v, scope).type : unknown('consume');
        const c = cypclassType(inner);
        return { type: c ? withCapability(c, 'iso~') : inner, temp: false };
      }
      default:
        return UNKNOWN;
    }
  }

  private string(node: Node): ExprInfo {
    if (namedChildren(node).some((c) => c.type === 'interpolation')) return { type: py('str'), temp: true };
    const prefix = /^[a-zA-Z]*/.exec(node.text)![0].toLowerCase();
    if (prefix.includes('c') && !prefix.includes('f')) {
      return { type: { kind: 'scalar', name: 'char', family: 'char' }, temp: false, literal: true };
    }
    if (prefix.includes('b')) return { type: py('bytes'), temp: false, literal: true };
    return { type: py('str'), temp: false, literal: true };
  }

  private name(node: Node, scope: Scope): ExprInfo {
    const name = node.text;
    if (name === 'NULL') return { type: { kind: 'ptr', base: { kind: 'void' } }, temp: false, literal: true };
    const sym = scope.lookup(name);
    if (!sym) {
      // Cython+: `activate` is a builtin the compiler declares with the first activable cypclass (Symtab.declare_cpp_class)
      if (name === 'activate' && this.activableClass()) return { type: unknown('activate'), temp: false };
      // A C type name used as an argument (`cython.cast(double, x)`, `cython.sizeof(int)`) is not a value.
      if (scalarType(name)) return { type: unknown(`C type ${name}`), temp: false };
      // The compiler looks undeclared names up as Python globals/builtins at run time. We only say so when every
      // cimport and include of the module was resolved: otherwise the name may come from what we could not see.
      if (this.complete(name)) return { type: PY_OBJECT, temp: true, pyGlobal: true };
      return { type: unknown(`undeclared ${name}`), temp: false };
    }
    switch (sym.kind) {
      case 'c-variable': case 'c-function': return { type: sym.type, temp: false, symbol: sym };
      case 'py-variable': {
        if (sym.inferred && sym.type.kind === 'unknown' && sym.type.reason === 'being inferred') this.provisional++;
        const global = sym.binding === 'module' && !sym.cdefGlobal;
        return { type: sym.type, temp: global, pyGlobal: global, symbol: sym };
      }
      case 'py-function': case 'py-class': case 'py-module':
        return { type: sym.type, temp: true, pyGlobal: sym.binding === 'module', symbol: sym };
      case 'builtin': return { type: sym.type, temp: false, symbol: sym };
      case 'ext-class': return { type: py('type'), temp: false, symbol: sym };
      case 'c-type': return { type: unknown(`type ${name} used as a value`), temp: false, symbol: sym };
      case 'cimported-module': return { type: unknown(`module ${name}`), temp: false, symbol: sym };
      case 'cython-builtin': case 'unresolved': return { type: sym.type, temp: false, symbol: sym };
    }
  }

  /** Whether the module declares an activable cypclass (which declares the builtin `activate`). */
  private activableClass(): boolean {
    for (const sym of this.collector.scope.symbols.values()) {
      if (sym.kind === 'c-type' && cypclassType(sym.type)?.cls?.cypclass?.activable) return true;
    }
    return false;
  }

  private binary(node: Node, scope: Scope): ExprInfo {
    const l = field(node, 'left');
    const r = field(node, 'right');
    const a = l ? this.info(l, scope) : UNKNOWN;
    const b = r ? this.info(r, scope) : UNKNOWN;
    if (a.type.kind === 'py' || b.type.kind === 'py') {
      return { type: a.type.kind === 'py' && a.type.name === 'str' ? py('str') : PY_OBJECT, temp: true,
        literal: a.literal && b.literal };
    }
    if (a.type.kind === 'unknown') return a;
    if (b.type.kind === 'unknown') return b;
    if (a.type.kind === 'ptr' || a.type.kind === 'array') {
      return { type: b.type.kind === 'ptr' ? C_LONG : a.type.kind === 'array' ? { kind: 'ptr', base: a.type.base }
        : a.type, temp: false };
    }
    if (b.type.kind === 'ptr') return { type: b.type, temp: false };
    return { type: spanningC([a.type, b.type]), temp: false, literal: a.literal && b.literal };
  }

  private comparison(node: Node, scope: Scope): ExprInfo {
    const operands = significantChildren(node);
    const infos = operands.map((o) => this.info(o, scope));
    const operators = node.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
    const identity = operators.every((op) => op === 'is' || op === 'not' || op === 'is not');
    // `x is None` on objects compares pointers: no GIL needed.
    if (identity) return { type: C_BINT, temp: false };
    // `x in (a, b)` is `x == a or x == b` (FlattenInListTransform): a C test when x is a C value.
    if (flattenedInElements(node) && infos[0] && infos[0].type.kind !== 'py') {
      return infos[0].type.kind === 'unknown' ? { type: unknown('in'), temp: false } : { type: C_BINT, temp: false };
    }
    if (infos.some((i) => i.type.kind === 'py' && !i.literal)) return { type: py('bool'), temp: true };
    if (infos.some((i) => i.type.kind === 'unknown')) return { type: unknown('comparison'), temp: false };
    return { type: C_BINT, temp: false };
  }

  private call(node: Node, scope: Scope): ExprInfo {
    const fnNodeRaw = field(node, 'function');
    const args = field(node, 'arguments');
    if (!fnNodeRaw) return UNKNOWN;
    const argNodes = args ? significantChildren(args) : [];
    let fnNode = fnNodeRaw;
    // `(float)(x)`: a parenthesised callee
    while (fnNode.type === 'parenthesized_expression' && significantChildren(fnNode).length === 1) {
      fnNode = significantChildren(fnNode)[0];
    }
    // Builtins that become C code (builtins.ts OPTIMISED_BUILTINS, loop-iteration.ts)
    if (fnNode.type === 'identifier') {
      const sym = scope.lookup(fnNode.text);
      if (sym?.kind === 'builtin') {
        const builtin = this.builtinCall(node, fnNode.text, argNodes, scope);
        if (builtin) return builtin;
      }
      if (sym?.kind === 'cython-builtin') {
        if (/^(dereference|deref)$/.test(fnNode.text) && argNodes[0]) {
          const t = this.info(argNodes[0], scope).type;
          return { type: t.kind === 'ptr' ? t.base : unknown('dereference'), temp: false };
        }
        if (fnNode.text === 'sizeof') return { type: C_SIZE_T, temp: false };
        return { type: unknown(`${fnNode.text}()`), temp: false };
      }
      if (sym?.kind === 'c-type') {
        // A C++ class constructed on the stack, or a struct/typedef "call" (cast-like)
        return { type: sym.type.kind === 'cpp' ? sym.type : unknown('type call'), temp: false };
      }
      if (sym?.kind === 'ext-class') return { type: sym.type, temp: true };
      // Cython+ `activate(consume A())`: the active reference of an activable cypclass (Symtab.declare_cpp_class)
      if (fnNode.text === 'activate' && !sym && this.activableClass()) {
        const c = argNodes.length === 1 ? cypclassType(this.info(argNodes[0], scope).type) : undefined;
        return { type: c?.cls?.cypclass?.activable ? withCapability(c, 'active') : unknown('activate()'), temp: false };
      }
    }
    const f = this.info(fnNode, scope);
    const callee = calleeSignature(f.type);
    if (callee) {
      const ret = returnedType(callee.returnType);
      return { type: ret, temp: ret.kind === 'py', callee };
    }
    if (f.type.kind === 'py') return { type: PY_OBJECT, temp: true };
    return { type: unknown('call of unknown'), temp: false };
  }

  /** A builtin call the compiler turns into C code, or undefined when it stays a Python call. */
  private builtinCall(node: Node, name: string, argNodes: readonly Node[], scope: Scope): ExprInfo | undefined {
    if (LOOP_BUILTINS.has(name)) {
      // `for i in range(n)`, `reversed(...)`, `enumerate(...)`: no call happens when the loop runs in C.
      const loop = loopOfIterableCall(node);
      const plan = loop ? this.loopPlan(loop, scope) : undefined;
      if (plan && plan.kind !== 'python') return { type: unknown(`C loop over ${name}()`), temp: false };
      return undefined;
    }
    if (argNodes.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
    const positional = argNodes.filter((a) => a.type !== 'keyword_argument');
    const args = positional.map((a): BuiltinArgument => {
      const info = this.info(a, scope);
      const arg: BuiltinArgument = { type: info.type, literal: info.literal, exact: hasDeclaredType(a, scope) };
      if (a.type === 'string' && info.literal && info.type.kind === 'py') {
        const m = /^[a-zA-Z]*(['"])(.*)\1$/.exec(a.text);
        if (m && !m[2].includes('\\')) arg.stringValue = m[2];
      }
      if (a.type === 'tuple' || a.type === 'list') {
        const items = namedChildren(a).filter((c) => c.type !== 'comment');
        if (!items.some((c) => c.type === 'list_splat')) arg.elements = items.map((c) => this.info(c, scope).type);
      }
      return arg;
    });
    const outcome = builtinCallOutcome(name, args, argNodes.length - positional.length, spanningC);
    switch (outcome.kind) {
      case 'python': return undefined;
      case 'unknown': return { type: unknown(outcome.reason), temp: false };
      case 'c': return { type: outcome.type, temp: false, literal: outcome.literal };
      case 'needs-gil':
        return { type: outcome.type, temp: outcome.type.kind === 'py', builtinCallNeedsGil: true,
          builtinBoxesArguments: outcome.boxesArguments };
    }
  }

  private readonly plans = new Map<number, LoopPlan>();

  /** How the compiler runs this `for ... in` loop (loop-iteration.ts). */
  loopPlan(loop: Node, scope: Scope): LoopPlan {
    let p = this.plans.get(loop.id);
    if (!p) {
      this.plans.set(loop.id, { kind: 'unknown' }); // while it is being computed
      p = loopPlan(loop, {
        type: (n) => this.info(n, scope).type,
        literal: (n) => this.info(n, scope).literal === true,
        isBuiltin: (name) => scope.lookup(name)?.kind === 'builtin',
      });
      this.plans.set(loop.id, p);
    }
    return p;
  }

  private attribute(node: Node, scope: Scope): ExprInfo {
    const objNode = field(node, 'object');
    const attr = field(node, 'attribute')?.text ?? '';
    if (!objNode) return UNKNOWN;
    const obj = this.info(objNode, scope);
    // module namespaces
    if (obj.symbol && (obj.symbol.kind === 'cimported-module' || obj.symbol.kind === 'cython-builtin')
      && objNode.type !== 'call') {
      const member = obj.symbol.module?.symbols.get(attr);
      if (member) {
        const asName = this.symbolInfo(member);
        if (asName.type.kind === 'py' && obj.symbol.alsoPython) return { ...asName, pyAttribute: true };
        return asName;
      }
      if (obj.symbol.alsoPython) return { type: PY_OBJECT, temp: true, pyAttribute: true };
      return { type: unknown(`${objNode.text}.${attr}`), temp: false };
    }
    // `ClassName.method(self, ...)`: an unbound cdef method reached through the extension type itself.
    if (obj.symbol?.kind === 'ext-class' && obj.symbol.type.kind === 'py' && obj.symbol.type.cls) {
      const m = obj.symbol.type.cls.methods.get(attr);
      if (m) return { type: { kind: 'func', sig: m }, temp: false };
    }
    let t = obj.type;
    if (t.kind === 'ptr' || t.kind === 'ref') t = t.base;
    switch (t.kind) {
      case 'struct': {
        const ft = t.info.fields.get(attr);
        return { type: ft ?? unknown(`field ${attr}`), temp: false };
      }
      case 'cpp': {
        const m = t.cls?.methods.get(attr);
        if (m && t.cypclass) {
          // Cython+: a method without `self`, seen through the reference's capability (cypclass-capabilities.ts)
          const through = methodThrough(m, t.qualifier);
          return { type: through ? { kind: 'func', sig: through } : unknown(`method ${attr}`), temp: false };
        }
        if (m) return { type: { kind: 'func', sig: m }, temp: false };
        const a = t.cls?.attributes.get(attr);
        if (a && t.cypclass) return { type: fieldThrough(a, t.qualifier), temp: false };
        return { type: a ?? unknown(`member ${attr}`), temp: false };
      }
      case 'memview':
        if (MEMVIEW_C_ATTRS.has(attr)) return { type: attr === 'shape' || attr === 'strides' || attr === 'suboffsets'
          ? { kind: 'array', base: { kind: 'scalar', name: 'Py_ssize_t', family: 'int' } } : C_LONG, temp: false };
        if (attr === 'T') return { type: t, temp: false };
        return { type: unknown(`memoryview.${attr}`), temp: false };
      case 'scalar':
        if (t.family === 'complex' && (attr === 'real' || attr === 'imag')) return { type: C_DOUBLE, temp: false };
        // A C int or float has one C method, conjugate (CNumericType.attributes_known); any other attribute is looked
        // up on the value coerced to a Python object (AttributeNode.analyse_attribute): `(1).real`, `x.bit_length`
        if ((t.family === 'int' || t.family === 'float') && attr !== 'conjugate') {
          return { type: PY_OBJECT, temp: true, pyAttribute: true };
        }
        return { type: unknown(`.${attr}`), temp: false };
      case 'py': {
        const cls = t.cls;
        if (cls) {
          const m = cls.methods.get(attr);
          // A method reached through an instance is bound: its first parameter (self) is supplied.
          if (m) return { type: { kind: 'func', sig: { ...m, params: m.params.slice(1) } }, temp: false };
          const a = cls.attributes.get(attr);
          // A cdef attribute is a C-level slot: reading it is no attribute lookup, even when it holds an object.
          if (a) return { type: a, temp: false };
          // Attributes inherited from a base we could not see are unknown, not Python.
          if (cls.base && !this.collector.lookupDotted(cls.base)) return { type: unknown('inherited'), temp: false };
          if (cls.incomplete) return { type: unknown(`${cls.name}.${attr}: ${cls.incomplete}`), temp: false };
        }
        return { type: PY_OBJECT, temp: true, pyAttribute: true };
      }
      default:
        return { type: unknown(`.${attr}`), temp: false };
    }
  }

  private symbolInfo(sym: Symbol): ExprInfo {
    switch (sym.kind) {
      case 'c-variable': case 'c-function': return { type: sym.type, temp: false, symbol: sym };
      case 'py-variable': case 'py-function': case 'py-class': case 'py-module':
        return { type: sym.type, temp: true, symbol: sym };
      case 'ext-class': return { type: py('type'), temp: false, symbol: sym };
      default: return { type: sym.kind === 'c-type' ? unknown('type') : sym.type, temp: false, symbol: sym };
    }
  }

  private subscript(node: Node, scope: Scope): ExprInfo {
    const valueNode = field(node, 'value');
    if (!valueNode) return UNKNOWN;
    const v = this.info(valueNode, scope);
    const indices = fieldNodes(node, 'subscript');
    const isSlice = indices.some((i) => i.type === 'slice');
    const t = v.type;
    switch (t.kind) {
      case 'memview': {
        if (isSlice || indices.length < t.ndim || indices.some((i) => i.type === 'ellipsis')) {
          return { type: t, temp: false };
        }
        return { type: t.base, temp: false };
      }
      case 'ptr': case 'array':
        return { type: isSlice ? t : t.base, temp: false };
      case 'cpp': {
        const op = t.cls?.methods.get('operator[]');
        return { type: op ? op.returnType : unknown('operator[]'), temp: false };
      }
      case 'py': {
        const indexTypes = indices.map((i) => this.info(i, scope).type);
        if (t.buffer && indexTypes.some((i) => i.kind === 'unknown')) return { type: unknown('buffer index'), temp: false };
        const cIndices = indices.length > 0 && !isSlice && indexTypes.every(isCIndex);
        if (t.buffer && cIndices && indices.length >= t.buffer.ndim) return { type: t.buffer.dtype, temp: false };
        // Indexing str/bytes/bytearray with a C integer yields a C character (Py_UCS4 / char).
        if (cIndices && indices.length === 1 && ['str', 'unicode', 'bytes', 'bytearray'].includes(t.name)) {
          return { type: { kind: 'scalar', name: t.name === 'str' || t.name === 'unicode' ? 'Py_UCS4' : 'char',
            family: 'int' }, temp: false };
        }
        return { type: PY_OBJECT, temp: true };
      }
      default:
        // `vector[int]` written as an expression, fused specialisation `f[double]`
        return { type: unknown('subscript'), temp: false };
    }
  }

  private cast(node: Node, scope: Scope): ExprInfo {
    const t = field(node, 'type');
    const v = field(node, 'value');
    const target = t ? this.collector.resolveTypeSyntax(parseTypeText(t.text)) : unknown('cast');
    if (v) this.info(v, scope);
    return { type: target, temp: false };
  }
}

/**
 * `x in (a, b, c)` / `x not in [a, b]` / `x in {a, b}` with a literal sequence: the compiler never builds the
 * sequence but compares `x == a or x == b ...` (Optimize.py FlattenInListTransform, before type analysis). Returns
 * the elements, or undefined when the comparison is not flattened (a cascade, a starred item, another container).
 */
export function flattenedInElements(node: Node): Node[] | undefined {
  if (node.type !== 'comparison_operator') return undefined;
  const operands = significantChildren(node);
  if (operands.length !== 2) return undefined;
  const container = operands[1];
  if (container.type !== 'tuple' && container.type !== 'list' && container.type !== 'set') return undefined;
  // (the operator's tokens listed only for a literal container)
  const operators = node.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
  const op = operators.join(' ').replace(/\s+/g, ' ');
  if (op !== 'in' && op !== 'not in') return undefined;
  const items: Node[] = [];
  for (const item of namedChildren(container).filter((c) => c.type !== 'comment')) {
    if (item.type !== 'list_splat') {
      items.push(item);
      continue;
    }
    // `(1, *[2, 3])`: ConstantFolding merges a starred literal sequence into its container first.
    const inner = significantChildren(item)[0];
    if (!inner || (inner.type !== 'list' && inner.type !== 'tuple')) return undefined;
    items.push(...namedChildren(inner).filter((c) => c.type !== 'comment'));
  }
  if (items.some((i) => i.type === 'list_splat' || i.type === 'parenthesized_list_splat')) return undefined;
  if (container.type === 'set' && items.some((i) => i.type === 'list' || i.type === 'set')) return undefined;
  return items;
}

/** `min((a, b))` / `max([a, b])`: the only argument's items become the operands (_optimise_min_max). */
export function isUnpackedMinMaxSequence(node: Node, typeOf: (n: Node) => ExprInfo): boolean {
  if (node.type !== 'tuple' && node.type !== 'list') return false;
  const args = node.parent;
  const call = args?.parent;
  if (args?.type !== 'argument_list' || call?.type !== 'call' || significantChildren(args).length !== 1) return false;
  const fn = field(call, 'function');
  return fn !== null && (fn.text === 'min' || fn.text === 'max') && typeOf(fn).symbol?.kind === 'builtin'
    && typeOf(call).type.kind !== 'py';
}

/** A literal sequence that a flattened `in` never builds: its container, or a starred literal inside it. */
export function isFlattenedInSequence(node: Node): boolean {
  let container = node;
  if (node.parent?.type === 'list_splat' && node.parent.parent) container = node.parent.parent;
  const cmp = container.parent;
  return cmp !== null && flattenedInElements(cmp) !== undefined && significantChildren(cmp)[1]?.id === container.id;
}

/**
 * Whether `==` between a C value of type `left` and this element stays in C (CmpNode.find_common_type): numbers,
 * and one-character string literals against C integers (find_common_int_type).
 */
export function comparesInC(left: CType, element: ExprInfo, elementNode: Node): boolean {
  if (element.type.kind !== 'py') return true;
  if (!element.literal || elementNode.type !== 'string') return false;
  const isInt = (left.kind === 'scalar' && left.family !== 'float' && left.family !== 'complex') || left.kind === 'enum';
  const m = /^[a-zA-Z]*(['"])(.*)\1$/.exec(elementNode.text);
  return isInt && m !== null && [...m[2]].length === 1;
}

export function calleeSignature(t: CType): FunctionSignature | undefined {
  if (t.kind === 'func') return t.sig;
  if (t.kind === 'ptr' && t.base.kind === 'func') return t.base.sig;
  return undefined;
}

/** An expression whose C type is declared rather than computed: a name, attribute, element or cast. */
function hasDeclaredType(node: Node, scope: Scope): boolean {
  let n = node;
  while (n.type === 'parenthesized_expression' && significantChildren(n).length === 1) n = significantChildren(n)[0];
  if (n.type === 'identifier') return scope.lookup(n.text)?.inferred !== true; // an inferred local: our estimate
  return n.type === 'attribute' || n.type === 'subscript' || n.type === 'cast_expression';
}

function spanningC(types: CType[]): CType {
  if (types.some((t) => t.kind === 'unknown')) return types.find((t) => t.kind === 'unknown')!;
  if (types.every((t) => t.kind === 'scalar' && t.family === 'bint')) return C_BINT;
  const s = spanning(types);
  return s.kind === 'py' ? C_LONG : s;
}

function isCIndex(t: CType): boolean {
  return t.kind === 'scalar' || t.kind === 'enum' || t.kind === 'fused';
}
