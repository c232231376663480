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
  memoryview(name: string, at: Node, depth = 0): { shape?: Sym[]; order?: Order; origin: string; ndim: number; element: string } | undefined {
    const decl = this.declarations.get(name);
    if (!decl || decl.type?.type !== 'memoryview_type' || hasPointer(decl.declarator)) return undefined;
    const axes = namedChildren(decl.type).filter((c) => c.type === 'memoryview_axis').map((c) => c.text.replace(/\s+/g, ''));
    const element = field(decl.type, 'element')?.text.replace(/\s+/g, ' ') ?? '';
    const ndim = axes.length;
    let order: Order | undefined = axes[ndim - 1] === '::1' ? 'C' : ndim > 1 && axes[0] === '::1' ? 'F' : undefined;
    if (axes.some((a) => a !== ':' && a !== '::1')) return undefined;
    const origin = `${element}[${axes.join(', ')}]`;
    const w = this.reaching(name, at);
    if (w === undefined) return { order, origin, ndim, element };
    if (w === null) {
      return { shape: axes.map((_, k) => atom(`shape:${name}:${k}`, `${name}.shape[${k}]`)), order, origin, ndim, element };
    }
    const made = w.value && depth < MAX_DEPTH ? this.numpyArray(w.value, depth + 1) : undefined;
    if (made && made.shape && made.shape.length !== ndim) return undefined;
    const fromAllocation = order === undefined && made?.order !== undefined;
    order ??= made?.order;
    const shown = (fromAllocation || made?.shape !== undefined) && w.value ? `${origin} = ${w.value.text.replace(/\s+/g, ' ')}` : origin;
    const shape = made?.shape ?? (w.value ? axes.map((_, k) => atom(`shape:${name}:${k}@${w.node.startIndex}`, `${name}.shape[${k}]`)) : undefined);
    return { shape, order, origin: shown, ndim, element };
  }

  /** `np.empty((m, n), order='F')` and friends: the shape and order of the array made. */
  private numpyArray(value: Node, depth: number): { shape?: Sym[]; order?: Order } | undefined {
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
    return { shape: shape.every((s): s is Sym => s !== undefined) ? shape : undefined, order };
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
          element: view.element };
      }
      if (index.length !== 1) return undefined;
      const whole = this.pointerBuffer(base.text, arg);
      if (!whole) return undefined;
      const offset = this.scalar(index[0]);
      return offset === undefined || whole.capacity === undefined ? { ...whole, capacity: undefined }
        : { ...whole, capacity: sub(whole.capacity, offset) };
    }
    if (arg.type === 'identifier') return this.pointerBuffer(arg.text, arg);
    return undefined;
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
