/**
 * What the code of one function says about the values reaching a call: integer sizes as symbolic expressions
 * (`n = a.shape[0]`, `lwork = 5 * n`), and the buffers behind pointer arguments (`malloc(k * sizeof(double))`,
 * `np.empty((m, n), order='F')`, `double work[10]`, a `double[:, ::1]` parameter), read from the syntax of the
 * function that contains the call.
 *
 * A variable's value at a point is the one of its last write before it, when that write certainly reaches it: the
 * write's statement is in a block enclosing the point, and no loop around the point (not around the write) writes
 * the variable again. Anything else (a write in one branch, `x += 1`, `&x` passed to a function that may write it, a
 * global) is unknown, and unknown values make the checks say nothing. A value the code computes in a way we do not
 * follow (`int(work[0])`) is an opaque atom named after its write: equal to itself wherever that write reaches.
 */
import { type Node, field, fields, namedChildren, significantChildren, stringValue } from '../../model/syntax';
import { type Sym, add, atom, extremum, mul, named, neg, num, sub } from './symbolic';

export type Order = 'C' | 'F' | 'strided';

/** A buffer a pointer argument points into. */
export interface BufferFact {
  /** The variable (`a`, `work`). */
  readonly name: string;
  /** Elements from the pointer passed to the end of the buffer, when known. */
  readonly capacity?: Sym;
  /** A memoryview's (or array's) shape, when the argument is one (`&a[0, 0]`). */
  readonly shape?: readonly Sym[];
  /** A memoryview's order: `double[:, ::1]` C, `double[::1, :]` Fortran. */
  readonly order?: Order;
  /** How the buffer was made or declared (`double[:, ::1]`, `malloc(n * sizeof(double))`, `double[10]`). */
  readonly origin: string;
  /** C element type as written (`double`), when known. */
  readonly element?: string;
  /** What holds an array's elements: a memoryview, a typed `ndarray` buffer, a Python variable. */
  readonly kind?: ArrayView['kind'];
}

/** A memoryview, a typed `ndarray` buffer or a NumPy array made in the function, at a point. */
export interface ArrayView {
  readonly shape?: Sym[];
  readonly order?: Order;
  readonly origin: string;
  readonly ndim: number;
  readonly element: string;
  readonly kind: 'memoryview' | 'ndarray' | 'object';
}

interface Write {
  /** Offset from which the written value is visible. */
  readonly at: number;
  /** The statement (child of a block) containing the write. */
  readonly anchor: Node;
  /** The value written, null when unknown. */
  readonly value: Node | null;
  readonly node: Node;
}

interface Declaration {
  readonly container: Node;
  readonly declarator: Node;
  readonly type: Node | null;
  readonly parameter: boolean;
}

const LOOPS = new Set(['for_statement', 'while_statement', 'for_from_statement']);
const NESTED = new Set(['function_definition', 'c_function_definition', 'lambda', 'class_definition',
  'cdef_class_definition', 'decorated_definition']);
const ALLOCATORS = new Set(['malloc', 'PyMem_Malloc', 'PyMem_RawMalloc', 'PyObject_Malloc', 'calloc', 'PyMem_Calloc',
  'PyMem_RawCalloc']);
const NUMPY_ALLOCATORS = new Set(['empty', 'zeros', 'ones', 'full']);
const MAX_DEPTH = 24;
/** NumPy's default dtype, spelt out: the arrays whose data is `double`. */
const FLOAT64 = /^(?:(?:np|numpy|cnp)\.)?(?:float64|double|float_)$|^float$|^['"](?:float64|f8|d)['"]$/;

/** The values of one function's variables (built once per function and run of the check). */
export class BodyValues {
  private readonly writes = new Map<string, Write[]>();
  private readonly declarations = new Map<string, Declaration | null>();

  /**
   * @param definition the function definition (or the module)
   * @param readsOnly whether `&x` in this call argument leaves `x` unchanged (an `in` argument of a routine)
   */
  constructor(private readonly definition: Node, private readonly readsOnly: (address: Node) => boolean,
    private readonly writesOnly: (address: Node) => boolean = () => false) {
    const params = field(definition, 'parameters');
    if (params) {
      for (const p of namedChildren(params)) {
        const decl = p.type === 'c_parameter' ? field(p, 'declarator') : null;
        const name = decl ? field(decl, 'name')?.text : p.type === 'identifier' ? p.text : undefined;
        if (name) this.declare(name, { container: p, declarator: decl ?? p, type: field(p, 'type'), parameter: true });
      }
    }
    const body = field(definition, 'body') ?? definition;
    this.collect(body);
    for (const list of this.writes.values()) list.sort((a, b) => a.at - b.at);
  }

  private declare(name: string, d: Declaration): void {
    this.declarations.set(name, this.declarations.has(name) ? null : d);
  }

  private write(name: string, w: Write): void {
    let list = this.writes.get(name);
    if (!list) this.writes.set(name, (list = []));
    list.push(w);
  }

  private collect(root: Node): void {
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack.pop() as Node;
      for (const c of namedChildren(n)) {
        if (NESTED.has(c.type)) continue;
        stack.push(c);
        this.visit(c);
      }
    }
  }

  private visit(c: Node): void {
    switch (c.type) {
      case 'c_variable_declaration': {
        const type = field(c, 'type');
        for (const d of fields(c, 'declarator')) {
          const name = field(d, 'name')?.text;
          if (!name) continue;
          this.declare(name, { container: c, declarator: d, type, parameter: false });
          const value = field(d, 'value');
          if (value) this.write(name, { at: d.endIndex, anchor: anchorOf(c), value, node: d });
        }
        return;
      }
      case 'assignment': {
        const left = field(c, 'left');
        const right = field(c, 'right');
        if (left?.type === 'identifier') {
          this.write(left.text, { at: c.endIndex, anchor: anchorOf(c), value: right?.type === 'assignment' ? null : right, node: c });
        } else if (left) {
          for (const id of targetNames(left)) this.write(id.text, { at: c.endIndex, anchor: anchorOf(c), value: null, node: c });
        }
        return;
      }
      case 'augmented_assignment': case 'named_expression': case 'for_statement': case 'for_from_statement':
      case 'with_item': case 'except_clause': case 'as_pattern': case 'delete_statement': {
        const target = field(c, c.type === 'named_expression' ? 'name' : c.type === 'for_from_statement' ? 'target'
          : c.type === 'with_item' || c.type === 'except_clause' || c.type === 'as_pattern' ? 'alias' : 'left')
          ?? (c.type === 'delete_statement' ? c : null);
        if (target) for (const id of targetNames(target)) this.write(id.text, { at: c.startIndex, anchor: anchorOf(c), value: null, node: c });
        return;
      }
      case 'address_of': {
        const inner = field(c, 'value');
        if (inner?.type === 'identifier' && !this.readsOnly(c)) {
          const call = enclosingCall(c);
          this.write(inner.text, { at: (call ?? c).endIndex, anchor: anchorOf(c), value: null, node: c });
        }
        return;
      }
      case 'global_statement': case 'nonlocal_statement':
        for (const id of namedChildren(c)) if (id.type === 'identifier') this.declarations.set(id.text, null);
        return;
      default:
    }
  }

  /** The write of `name` that certainly reaches `at` (undefined: none or not certain; null: the parameter's value). */
  private reaching(name: string, at: Node): Write | null | undefined {
    const list = this.writes.get(name) ?? [];
    let last: Write | undefined;
    for (const w of list) if (w.at <= at.startIndex) last = w;
    // loops around the point that do not contain the write: a write anywhere in them comes back around
    for (let n: Node | null = at.parent; n && n !== this.definition; n = n.parent) {
      if (!LOOPS.has(n.type)) continue;
      const loop = n;
      const inside = (w: Write): boolean => w.node.startIndex >= loop.startIndex && w.node.endIndex <= loop.endIndex;
      if (last && inside(last)) break;
      if (list.some(inside)) return undefined;
    }
    if (!last) {
      const decl = this.declarations.get(name);
      return decl?.parameter ? null : undefined;
    }
    // its statement's block must enclose the point
    const block = last.anchor.parent;
    if (!block || !(at.startIndex >= block.startIndex && at.endIndex <= block.endIndex)) return undefined;
    return last;
  }

  /** A C variable declared in this function (a parameter or a `cdef` local), not global. */
  isLocal(name: string): boolean {
    const d = this.declarations.get(name);
    return d !== undefined && d !== null && d.type?.type === 'c_type';
  }

  /**
   * Whether `name` is read after `call` (or anywhere in a loop around it): any use that is neither an assignment's
   * target nor an `&name` argument of a routine that only writes it.
   */
  readAfter(name: string, call: Node): boolean {
    let from = call.endIndex;
    for (let n: Node | null = call.parent; n && n !== this.definition; n = n.parent) {
      if (LOOPS.has(n.type)) from = Math.min(from, n.startIndex);
    }
    const body = field(this.definition, 'body') ?? this.definition;
    const stack: Node[] = [body];
    while (stack.length) {
      const n = stack.pop() as Node;
      if (n.endIndex <= from) continue;
      if (n.type === 'identifier' && n.text === name && n.startIndex >= from
        && !(n.startIndex >= call.startIndex && n.endIndex <= call.endIndex)) {
        const parent = n.parent;
        const target = parent?.type === 'assignment' && field(parent, 'left')?.id === n.id;
        const address = parent?.type === 'address_of' && !this.readsOnly(parent) && this.writesOnly(parent);
        if (!target && !address) return true;
      }
      for (const c of namedChildren(n)) stack.push(c);
    }
    return false;
  }

  /**
   * The first use after `call` of the memoryview `name` passed to it as `argument` (which the routine overwrites),
   * on a path from the call, before anything writes it: an element read (`a[i, j]` as a value), or, when the call
   * is in a loop and nothing in the loop writes `a` before the call, the call's own argument on the next turn.
   * Undefined when `name` is no local memoryview, when something may write or alias it first (`a[...] = x`, `a = ...`,
   * `&a[0]` passed elsewhere, `a` passed or stored as a whole anywhere in the function), or when the code leaves the
   * block of the call first (`return`, `raise`, `break`, `continue`).
   */
  overwrittenUse(name: string, call: Node, argument: Node): { node: Node; again: boolean } | undefined {
    const decl = this.declarations.get(name);
    if (!decl || decl.type?.type !== 'memoryview_type' || hasPointer(decl.declarator)) return undefined;
    const body = field(this.definition, 'body') ?? this.definition;
    const mentions: { node: Node; kind: 'read' | 'write' | 'neutral' | 'own' }[] = [];
    const stack: Node[] = [body];
    while (stack.length) {
      const n = stack.pop() as Node;
      if (NESTED.has(n.type) && n !== body) {
        if (new RegExp(`\\b${name}\\b`).test(n.text)) return undefined;
        continue;
      }
      if (n.type === 'identifier' && n.text === name) {
        const kind = mentionKind(n, argument);
        if (kind === 'alias') return undefined;
        if (kind !== 'declaration') mentions.push({ node: n, kind });
        continue;
      }
      for (const c of namedChildren(n)) stack.push(c);
    }
    mentions.sort((a, b) => a.node.startIndex - b.node.startIndex);
    let loop: Node | undefined;
    for (let n: Node | null = call.parent; n && n !== this.definition; n = n.parent) {
      if (LOOPS.has(n.type)) {
        loop = n;
        break;
      }
    }
    const end = loop ? loop.endIndex : body.endIndex;
    const exitAt = firstExitAfter(call, end, this.definition);
    for (const m of mentions) {
      if (m.node.startIndex < call.endIndex || m.node.startIndex >= end) continue;
      if (exitAt !== undefined && m.node.startIndex >= exitAt) return undefined;
      if (!reachableAfter(call, m.node)) continue;
      if (m.kind === 'read') return { node: subscriptOf(m.node), again: false };
      if (m.kind !== 'neutral') return undefined;
    }
    if (!loop || exitAt !== undefined) return undefined;
    // the next turn of the loop: from its start to the call, then the call reads its argument again
    for (const m of mentions) {
      if (m.node.startIndex < loop.startIndex || m.node.startIndex >= call.startIndex) continue;
      if (m.kind === 'read') return { node: subscriptOf(m.node), again: false };
      if (m.kind !== 'neutral') return undefined;
    }
    return { node: argument, again: true };
  }

  /** The integer value of an expression at its place, as a symbolic expression. */
  scalar(expr: Node, depth = 0): Sym | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (expr.type) {
      case 'integer':
        return /^\d+$/.test(expr.text) ? num(Number(expr.text)) : undefined;
      case 'parenthesized_expression': {
        const inner = significantChildren(expr);
        return inner.length === 1 ? this.scalar(inner[0], depth + 1) : undefined;
      }
      case 'unary_operator': {
        const arg = field(expr, 'argument');
        const op = field(expr, 'operator')?.text ?? expr.text.trim()[0];
        const v = arg ? this.scalar(arg, depth + 1) : undefined;
        return v === undefined ? undefined : op === '-' ? neg(v) : op === '+' ? v : undefined;
      }
      case 'binary_operator': {
        const l = field(expr, 'left');
        const r = field(expr, 'right');
        const op = field(expr, 'operator')?.text;
        const a = l ? this.scalar(l, depth + 1) : undefined;
        const b = r ? this.scalar(r, depth + 1) : undefined;
        if (a === undefined || b === undefined) return undefined;
        switch (op) {
          case '+': return add(a, b);
          case '-': return sub(a, b);
          case '*': return mul(a, b);
          case '//':
            return a.kind === 'num' && b.kind === 'num' && b.value !== 0 ? num(Math.floor(a.value / b.value)) : undefined;
          default: return undefined;
        }
      }
      case 'cast_expression': {
        const type = field(expr, 'type')?.text.replace(/\s+/g, ' ') ?? '';
        const value = field(expr, 'value');
        return /^(?:(?:unsigned |signed |long |short )*(?:int|long|size_t|Py_ssize_t|ssize_t|blas_int|int64_t|int32_t))$/.test(type)
          && value ? this.scalar(value, depth + 1) : undefined;
      }
      case 'call': {
        const fn = field(expr, 'function');
        const args = field(expr, 'arguments');
        if (fn?.type !== 'identifier' || !args || args.type !== 'argument_list') return undefined;
        const list = significantChildren(args);
        if ((fn.text === 'max' || fn.text === 'min') && list.length >= 2 && !list.some((a) => a.type === 'keyword_argument')) {
          const vals = list.map((a) => this.scalar(a, depth + 1));
          return vals.every((v): v is Sym => v !== undefined) ? extremum(fn.text, vals) : undefined;
        }
        if (fn.text === 'int' && list.length === 1) return this.scalar(list[0], depth + 1);
        return undefined;
      }
      case 'subscript': {
        // x.shape[k]
        const value = field(expr, 'value');
        const index = fields(expr, 'subscript');
        if (value?.type !== 'attribute' || index.length !== 1 || index[0].type !== 'integer') return undefined;
        const obj = field(value, 'object');
        if (field(value, 'attribute')?.text !== 'shape' || obj?.type !== 'identifier') return undefined;
        const shape = this.memoryview(obj.text, expr, depth + 1)?.shape;
        return shape?.[Number(index[0].text)];
      }
      case 'identifier': {
        const w = this.reaching(expr.text, expr);
        if (w === undefined) return undefined;
        if (w === null) {
          const decl = this.declarations.get(expr.text);
          return decl && isScalarDeclaration(decl) ? atom(`param:${expr.text}`, expr.text) : undefined;
        }
        const v = w.value ? this.scalar(w.value, depth + 1) : undefined;
        if (v !== undefined) return named(expr.text, v);
        // a value we do not follow: itself wherever this write reaches (not for loop targets: one value per turn)
        if (!w.value && w.node.type !== 'address_of') return undefined;
        return atom(`value:${expr.text}@${w.node.startIndex}`, expr.text);
      }
      default:
        return undefined;
    }
  }

  /** The one-character constant of an expression (`'N'`, `b'T'`, a local holding one). */
  character(expr: Node, depth = 0): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (expr.type === 'string') {
      const s = stringValue(expr);
      return s.length === 1 ? s : undefined;
    }
    if (expr.type === 'identifier') {
      const w = this.reaching(expr.text, expr);
      return w?.value ? this.character(w.value, depth + 1) : undefined;
    }
    return undefined;
  }

  /** A memoryview variable at a point: its declared order and its shape. */
  memoryview(name: string, at: Node, depth = 0): ArrayView | undefined {
    const decl = this.declarations.get(name);
    if (decl === undefined) return this.untypedArray(name, at, depth);
    if (!decl || hasPointer(decl.declarator)) return undefined;
    const declared = decl.type?.type === 'memoryview_type' ? memoryviewType(decl.type)
      : decl.type ? ndarrayType(decl.type) : undefined;
    if (!declared) return undefined;
    const { element, ndim, origin } = declared;
    let order = declared.order;
    const axes = Array.from({ length: ndim }, () => ':');
    const kind = declared.kind;
    const w = this.reaching(name, at);
    if (w === undefined) return { order, origin, ndim, element, kind };
    if (w === null) {
      return { shape: axes.map((_, k) => atom(`shape:${name}:${k}`, `${name}.shape[${k}]`)), order, origin, ndim, element, kind };
    }
    const made = w.value && depth < MAX_DEPTH ? this.numpyArray(w.value, depth + 1) : undefined;
    if (made && made.shape && made.shape.length !== ndim) return undefined;
    const fromAllocation = order === undefined && made?.order !== undefined;
    order ??= made?.order;
    const shown = (fromAllocation || made?.shape !== undefined) && w.value ? `${origin} = ${w.value.text.replace(/\s+/g, ' ')}` : origin;
    const shape = made?.shape ?? (w.value ? axes.map((_, k) => atom(`shape:${name}:${k}@${w.node.startIndex}`, `${name}.shape[${k}]`)) : undefined);
    return { shape, order, origin: shown, ndim, element, kind };
  }

  /** A Python variable holding a NumPy array made in this function (`x = np.zeros((m, n))`: C order, its shape). */
  private untypedArray(name: string, at: Node, depth: number): ArrayView | undefined {
    const w = this.reaching(name, at);
    if (!w?.value || depth >= MAX_DEPTH) return undefined;
    const made = this.numpyArray(w.value, depth + 1);
    if (!made?.shape || made.order === undefined || !(made.dtype === undefined || FLOAT64.test(made.dtype))) return undefined;
    return { shape: made.shape, order: made.order, origin: w.value.text.replace(/\s+/g, ' '), ndim: made.shape.length,
      element: 'double', kind: 'object' };
  }

  /** `np.empty((m, n), order='F')` and friends: the shape and order of the array made. */
  private numpyArray(value: Node, depth: number): { shape?: Sym[]; order?: Order; dtype?: string } | undefined {
    if (value.type !== 'call') return undefined;
    const fn = field(value, 'function');
    const args = field(value, 'arguments');
    if (fn?.type !== 'attribute' || !args || args.type !== 'argument_list') return undefined;
    const attr = field(fn, 'attribute')?.text ?? '';
    const list = significantChildren(args);
    const orderArg = list.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'order');
    const orderText = orderArg ? field(orderArg, 'value') : null;
    const orderValue = orderText?.type === 'string' ? stringValue(orderText) : orderArg ? undefined : 'C';
    const order: Order | undefined = orderValue === 'C' ? 'C' : orderValue === 'F' ? 'F' : undefined;
    if (attr === 'ascontiguousarray') return { order: 'C' };
    if (attr === 'asfortranarray') return { order: 'F' };
    if (!NUMPY_ALLOCATORS.has(attr)) return undefined;
    const first = list[0];
    if (!first || first.type === 'keyword_argument') return { order };
    const dims = first.type === 'tuple' || first.type === 'list' ? significantChildren(first) : [first];
    const shape = dims.map((d) => this.scalar(d, depth));
    const dtypeKeyword = list.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'dtype');
    const positional = list.filter((a) => a.type !== 'keyword_argument');
    const dtypeNode = dtypeKeyword ? field(dtypeKeyword, 'value') : positional[attr === 'full' ? 2 : 1];
    const dtype = dtypeNode ? dtypeNode.text.replace(/\s+/g, '') : undefined;
    return { shape: shape.every((s): s is Sym => s !== undefined) ? shape : undefined, order, dtype };
  }

  /** The buffer a pointer argument points into (`&a[0, 0]`, `work`, `&work[0]`, `&x`). */
  buffer(arg: Node): BufferFact | undefined {
    if (arg.type === 'address_of') {
      const inner = field(arg, 'value');
      if (!inner) return undefined;
      if (inner.type === 'identifier') {
        const decl = this.declarations.get(inner.text);
        if (decl && isScalarDeclaration(decl)) return { name: inner.text, capacity: num(1), origin: 'a scalar' };
        return undefined;
      }
      if (inner.type !== 'subscript') return undefined;
      const base = field(inner, 'value');
      const index = fields(inner, 'subscript');
      if (base?.type !== 'identifier') return undefined;
      const zero = index.every((i) => i.type === 'integer' && /^0+$/.test(i.text));
      const view = this.memoryview(base.text, arg);
      if (view) {
        if (index.length !== view.ndim) return undefined;
        const contiguous = view.order === 'C' || view.order === 'F';
        const capacity = zero && contiguous && view.shape ? view.shape.reduce((a, b) => mul(a, b)) : undefined;
        return { name: base.text, capacity, shape: view.shape, order: view.order ?? 'strided', origin: view.origin,
          element: view.element, kind: view.kind };
      }
      if (index.length !== 1) return undefined;
      const whole = this.pointerBuffer(base.text, arg);
      if (!whole) return undefined;
      const offset = this.scalar(index[0]);
      return offset === undefined || whole.capacity === undefined ? { ...whole, capacity: undefined }
        : { ...whole, capacity: sub(whole.capacity, offset) };
    }
    if (arg.type === 'identifier') return this.pointerBuffer(arg.text, arg);
    if (arg.type === 'cast_expression') return this.arrayData(arg);
    return undefined;
  }

  /**
   * `<double*> x.data`, `<double*> cnp.PyArray_DATA(x)`: the start of a NumPy array's data. Its order and shape when
   * known (not its capacity: the dtype of an untyped array is not followed).
   */
  private arrayData(cast: Node): BufferFact | undefined {
    const type = field(cast, 'type')?.text.replace(/\s+/g, '') ?? '';
    let value = field(cast, 'value');
    while (value?.type === 'parenthesized_expression') value = significantChildren(value)[0] ?? null;
    let target: Node | null = null;
    if (value?.type === 'attribute' && field(value, 'attribute')?.text === 'data') target = field(value, 'object');
    if (value?.type === 'call') {
      const fn = field(value, 'function');
      const fnName = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : fn?.text;
      const args = field(value, 'arguments');
      const list = args ? significantChildren(args) : [];
      if (fnName === 'PyArray_DATA' && list.length === 1) target = list[0];
    }
    if (target?.type !== 'identifier' || !/^[\w ]+\*$/.test(type)) return undefined;
    const view = this.memoryview(target.text, cast);
    if (!view || view.kind === 'memoryview') return undefined;
    const element = type.slice(0, -1);
    if (view.kind === 'object' && element !== 'double') return undefined;
    return { name: target.text, shape: view.shape, order: view.order ?? 'strided', origin: view.origin, element,
      kind: view.kind };
  }

  /** A C array or a pointer variable's allocation. */
  private pointerBuffer(name: string, at: Node): BufferFact | undefined {
    const decl = this.declarations.get(name);
    if (!decl || decl.type?.type === 'memoryview_type') return undefined;
    const element = decl.type?.text.replace(/\s+/g, ' ');
    const arrays = namedChildren(decl.declarator).filter((c) => c.type === 'array_declarator');
    if (arrays.length > 0) {
      let size: Sym = num(1);
      for (const a of arrays) {
        const s = field(a, 'size');
        const v = s ? this.scalar(s) : undefined;
        if (v === undefined) return { name, origin: `${element}[...]`, element };
        size = mul(size, v);
      }
      return { name, capacity: size, origin: `${element} ${name}${arrays.map((a) => a.text).join('')}`, element };
    }
    if (!hasPointer(decl.declarator)) return undefined;
    const w = this.reaching(name, at);
    if (!w?.value) return undefined;
    let value = w.value;
    if (value.type === 'cast_expression') value = field(value, 'value') ?? value;
    if (value.type !== 'call') return undefined;
    const fn = field(value, 'function');
    const args = field(value, 'arguments');
    if (fn?.type !== 'identifier' || !ALLOCATORS.has(fn.text) || !args) return undefined;
    const list = significantChildren(args);
    const origin = `${fn.text}(${list.map((a) => a.text).join(', ')})`;
    let count: Sym | undefined;
    let unit: string | undefined;
    if (/calloc$/i.test(fn.text) && list.length === 2) {
      count = this.scalar(list[0]);
      unit = sizeofType(list[1]);
    } else if (list.length === 1) {
      const factors = product(list[0]);
      const sizes = factors.map(sizeofType);
      const at1 = sizes.findIndex((s) => s !== undefined);
      if (at1 >= 0 && sizes.filter((s) => s !== undefined).length === 1) {
        unit = sizes[at1];
        const rest = factors.filter((_, i) => i !== at1).map((f) => this.scalar(f));
        count = rest.every((r): r is Sym => r !== undefined) ? rest.reduce((a, b) => mul(a, b), num(1)) : undefined;
      }
    }
    const declared = element?.replace(/\s*\*\s*$/, '');
    if (unit === undefined || count === undefined || unit !== declared) return { name, origin, element: declared };
    return { name, capacity: count, origin, element: declared };
  }
}

function anchorOf(n: Node): Node {
  let cur = n;
  while (cur.parent && cur.parent.type !== 'block' && cur.parent.type !== 'module') cur = cur.parent;
  return cur;
}

function enclosingCall(n: Node): Node | undefined {
  const args = n.parent;
  return args?.type === 'argument_list' && args.parent?.type === 'call' ? args.parent : undefined;
}

function targetNames(target: Node): Node[] {
  if (target.type === 'identifier') return [target];
  return namedChildren(target).flatMap((c) =>
    ['identifier', 'pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern']
      .includes(c.type) ? targetNames(c) : []);
}

function hasPointer(declarator: Node): boolean {
  return namedChildren(declarator).some((c) => c.type === 'pointer_declarator' || c.type === 'function_declarator');
}

function isScalarDeclaration(d: Declaration): boolean {
  if (d.type?.type !== 'c_type' || hasPointer(d.declarator)) return false;
  if (namedChildren(d.declarator).some((c) => c.type === 'array_declarator')) return false;
  return !namedChildren(d.type).some((c) => c.type === 'pointer' || c.type === 'template_arguments');
}

/** The factors of `a * b * c`. */
function product(n: Node): Node[] {
  if (n.type === 'binary_operator' && field(n, 'operator')?.text === '*') {
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (l && r) return [...product(l), ...product(r)];
  }
  if (n.type === 'parenthesized_expression') {
    const inner = significantChildren(n);
    if (inner.length === 1) return product(inner[0]);
  }
  return [n];
}

/** `double` of `sizeof(double)`. */
function sizeofType(n: Node): string | undefined {
  if (n.type !== 'sizeof_expression') return undefined;
  const t = field(n, 'type');
  return t ? t.text.replace(/\s+/g, ' ') : undefined;
}

const SIZE_ATTRIBUTES = new Set(['shape', 'ndim', 'strides', 'size', 'itemsize', 'nbytes']);
const EXITS = new Set(['return_statement', 'raise_statement', 'break_statement', 'continue_statement']);

/**
 * What a mention of a memoryview does: reads elements (`a[i, j]` as a value), writes them or rebinds the name
 * (`a[i] = x`, `a = ...`), reads only its size (`a.shape[0]`), is the call's own argument, declares it, or may
 * alias it (`p = &a[0]`, `f(a)`, `return a`).
 */
function mentionKind(id: Node, argument: Node): 'read' | 'write' | 'neutral' | 'own' | 'declaration' | 'alias' {
  const parent = id.parent;
  if (!parent) return 'alias';
  if (parent.type === 'c_parameter' || parent.type === 'typed_parameter' || parent.type === 'typed_default_parameter'
    || parent.type === 'default_parameter' || field(parent, 'name')?.id === id.id && /declarator|parameter/.test(parent.type)) {
    return 'declaration';
  }
  if (parent.type === 'attribute' && field(parent, 'object')?.id === id.id) {
    return SIZE_ATTRIBUTES.has(field(parent, 'attribute')?.text ?? '') ? 'neutral' : 'alias';
  }
  if (parent.type === 'assignment' && field(parent, 'left')?.id === id.id) return 'write';
  if (parent.type !== 'subscript' || field(parent, 'value')?.id !== id.id) return 'alias';
  const user = parent.parent;
  if (user?.type === 'address_of') {
    if (user.id === argument.id) return 'own';
    return user.parent?.type === 'argument_list' ? 'write' : 'alias';
  }
  if (isTarget(parent)) return 'write';
  return 'read';
}

/** An assignment's (or augmented assignment's, a for loop's) target, or part of one. */
function isTarget(n: Node): boolean {
  let cur = n;
  while (cur.parent && ['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression']
    .includes(cur.parent.type)) cur = cur.parent;
  const p = cur.parent;
  if (!p) return false;
  if (p.type === 'assignment' || p.type === 'augmented_assignment') return field(p, 'left')?.id === cur.id;
  if (p.type === 'for_statement') return field(p, 'left')?.id === cur.id;
  return p.type === 'delete_statement';
}

function subscriptOf(id: Node): Node {
  return id.parent?.type === 'subscript' ? id.parent : id;
}

/**
 * Where the first statement after `call` (before `end`) that leaves the block of the call ends: a `return`,
 * `raise`, `break` or `continue` directly in a block around the call.
 */
function firstExitAfter(call: Node, end: number, definition: Node): number | undefined {
  let first: number | undefined;
  for (let n: Node | null = call; n && n !== definition; n = n.parent) {
    const block = n.parent;
    if (!block || block.type !== 'block') continue;
    for (const s of namedChildren(block)) {
      if (s.startIndex >= call.endIndex && s.startIndex < end && EXITS.has(s.type)) {
        if (first === undefined || s.endIndex < first) first = s.endIndex;
      }
    }
  }
  return first;
}

/** Whether `node` (after `call` in the text) can run after it: not in another branch of an `if` or `try` around both. */
function reachableAfter(call: Node, node: Node): boolean {
  for (let n: Node | null = call.parent; n; n = n.parent) {
    if (n.type !== 'if_statement' && n.type !== 'try_statement' && n.type !== 'match_statement') continue;
    if (!(node.startIndex >= n.startIndex && node.endIndex <= n.endIndex)) continue;
    const branch = (x: Node): Node | undefined => namedChildren(n as Node).find((c) => x.startIndex >= c.startIndex && x.endIndex <= c.endIndex);
    const a = branch(call);
    const b = branch(node);
    if (a && b && a.id !== b.id) {
      // from a try's body, its handlers, else and finally can run; from an if's branch, no other branch
      if (n.type === 'try_statement' && a.type === 'block') continue;
      return false;
    }
  }
  return true;
}

/** `double[:, ::1]`: element, axes, order. */
function memoryviewType(type: Node): { element: string; ndim: number; order?: Order; origin: string; kind: 'memoryview' } | undefined {
  const axes = namedChildren(type).filter((c) => c.type === 'memoryview_axis').map((c) => c.text.replace(/\s+/g, ''));
  const element = field(type, 'element')?.text.replace(/\s+/g, ' ') ?? '';
  const ndim = axes.length;
  const order: Order | undefined = axes[ndim - 1] === '::1' ? 'C' : ndim > 1 && axes[0] === '::1' ? 'F' : undefined;
  if (axes.some((a) => a !== ':' && a !== '::1')) return undefined;
  return { element, ndim, order, origin: `${element}[${axes.join(', ')}]`, kind: 'memoryview' };
}

/**
 * `cnp.ndarray[double, ndim=2, mode='c']`: a buffer-typed NumPy array (Cython's buffer modes: `c` and `fortran`
 * contiguous, `full`/`strided` (the default) any layout; `ndim` 1 by default).
 */
function ndarrayType(type: Node): { element: string; ndim: number; order?: Order; origin: string; kind: 'ndarray' } | undefined {
  const name = field(type, 'name')?.text.replace(/\s+/g, '');
  if (!name || !/^(?:\w+\.)?ndarray$/.test(name)) return undefined;
  const args = namedChildren(type).find((c) => c.type === 'template_arguments');
  if (!args) return undefined;
  const list = namedChildren(args);
  const element = list[0]?.type === 'c_type' ? list[0].text.replace(/\s+/g, ' ') : undefined;
  if (!element) return undefined;
  const keyword = (k: string): Node | null => {
    const a = list.find((c) => c.type === 'keyword_argument' && field(c, 'name')?.text === k);
    return a ? field(a, 'value') : null;
  };
  const ndimNode = keyword('ndim');
  const ndim = ndimNode === null ? 1 : ndimNode.type === 'integer' ? Number(ndimNode.text) : NaN;
  const modeNode = keyword('mode');
  const mode = modeNode === null ? 'full' : modeNode.type === 'string' ? stringValue(modeNode) : undefined;
  if (!Number.isInteger(ndim) || ndim < 1 || mode === undefined) return undefined;
  const order: Order | undefined = mode === 'c' ? 'C' : mode === 'fortran' ? 'F' : undefined;
  return { element, ndim, order, origin: type.text.replace(/\s+/g, ' '), kind: 'ndarray' };
}
