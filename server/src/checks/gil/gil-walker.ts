/**
 * One walk of a module's tree carrying the GIL state (like the compiler's GilCheck transform), dispatching each
 * node to the rules registered for its type.
 */
import { pureDeclarationOf } from '../../model/pure-declarations';
import { keptCompileTimeBranch } from '../../model/compile-time-branch';
import { type CType, type ClassInfo, definedClassOf } from '../../model/c-types';
import { type FunctionInfo } from '../../model/function-scope';
import { type GilState, HELD, bodyState, gilTransition, prangeOf, withItemStates } from '../../model/gil-state';
import type { ModuleModel } from '../../model/module-model';
import { Scope } from '../../model/symbols';
import { type Specialisation, fusedTestsOf, specialisationsFrom } from '../../model/fused-specialisation';
import { type Node, field, fields, isBrokenSyntax, namedChildren } from '../../model/syntax';
import { reachableStatements } from '../../model/reachability';
import { isPrintStatementCall, printIsStatement } from '../../model/print-statement';
import type { Finding, GilRule, RuleContext } from './rule';
import { DIAGNOSTIC_CODES } from '../../../../shared/src/diagnostic-codes';
import { DEFAULT_DIRECTIVES, type Directives, definitionDirectives, fileDirectives, withDirectives }
  from '../../model/directives';

interface Env {
  directives: Readonly<Directives>;
  state: GilState;
  scope: Scope;
  fn: FunctionInfo | undefined;
  cls: ClassInfo | undefined;
  loopDepth: number;
  /**
   * Whether the compiler wraps `raise`/`print` here in an implicit `with gil:` (InjectGilHandling): below
   * `with nogil:` and in nogil functions, but not in prange bodies, which it does not recognise yet at that stage.
   */
  injectsGil: boolean;
  /** The fused-type specialisation being checked (a fused function is walked once per specialisation). */
  specialisation?: Specialisation;
}

/** Nodes without run-time code: nothing below them is evaluated. */
const DECLARATION_ONLY = new Set(['cimport_statement', 'cimport_from_statement', 'include_statement',
  'c_function_declaration', 'struct_definition', 'enum_definition', 'ctypedef_statement', 'fused_type_definition',
  'cppclass_definition', 'extern_block', 'c_type', 'memoryview_type', 'type', 'comment', 'decorator',
  'compile_time_definition', 'import_statement', 'import_from_statement', 'future_import_statement']);

/** Nodes whose well-formed parts are still checked when another part holds a syntax error. */
const CONTAINERS = new Set(['class_definition', 'cdef_class_definition', 'cypclass_definition',
  'decorated_definition']);

const LOOPS = new Set(['for_statement', 'while_statement', 'for_from_statement']);

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension',
  'generator_expression', 'lambda']);

/** Rules by node type, per rule list (a walker is made per top-level statement: the index is built once). */
const rulesByType = new WeakMap<readonly GilRule[], ReadonlyMap<string, readonly GilRule[]>>();

function indexRules(rules: readonly GilRule[]): ReadonlyMap<string, readonly GilRule[]> {
  let byType = rulesByType.get(rules);
  if (!byType) {
    const index = new Map<string, GilRule[]>();
    for (const rule of rules) {
      for (const t of rule.nodeTypes) {
        const list = index.get(t) ?? [];
        list.push(rule);
        index.set(t, list);
      }
    }
    byType = index;
    rulesByType.set(rules, byType);
  }
  return byType;
}

export class GilWalker {
  private readonly byType: ReadonlyMap<string, readonly GilRule[]>;
  readonly findings: Finding[] = [];

  private readonly moduleDirectives: Readonly<Directives>;

  constructor(private readonly model: ModuleModel, rules: readonly GilRule[],
    private readonly isCancelled: () => boolean = () => false, baseDirectives: Readonly<Directives> = DEFAULT_DIRECTIVES,
    moduleText?: string) {
    this.moduleDirectives = moduleText === undefined ? baseDirectives : fileDirectives(moduleText, baseDirectives);
    this.byType = indexRules(rules);
  }

  walkModule(root: Node): Finding[] {
    const env: Env = { directives: this.moduleDirectives, state: HELD, scope: this.model.declarations.scope,
      fn: undefined, cls: undefined, loopDepth: 0, injectsGil: false };
    for (const c of namedChildren(root)) {
      if (this.isCancelled()) break;
      this.walk(c, env);
    }
    return this.findings;
  }

  /**
   * Walks one top-level statement (used for per-definition caching); `skip`: ids of members of its class not to walk,
   * `rows`: the rows of the unit's own findings, when it is one member (engine/definition-units.ts; the caller drops
   * the findings outside them).
   */
  walkTopLevel(node: Node, skip?: ReadonlySet<number>, rows?: { first: number; last: number }): Finding[] {
    const env: Env = { directives: this.moduleDirectives, state: HELD, scope: this.model.declarations.scope,
      fn: undefined, cls: undefined, loopDepth: 0, injectsGil: false };
    this.skip = skip;
    this.rows = rows;
    try {
      this.walk(node, env);
    } finally {
      this.skip = undefined;
      this.rows = undefined;
    }
    return this.findings;
  }

  private skip: ReadonlySet<number> | undefined;
  private rows: { first: number; last: number } | undefined;

  private printIsStatement: boolean | undefined;

  /** Whether `print(...)` is a print statement in this module (language level 2: model/print-statement.ts). */
  private printStatements(node: Node): boolean {
    this.printIsStatement ??= printIsStatement(node.tree.rootNode, this.moduleDirectives);
    return this.printIsStatement;
  }

  /** The rule being dispatched (what `report` of the shared contexts files findings under). */
  private rule: GilRule | undefined;
  /** One context per walk environment, shared by every rule and node dispatched in it. */
  private readonly contexts = new WeakMap<Env, RuleContext>();

  private dispatch(node: Node, env: Env): void {
    const rules = this.byType.get(node.type);
    if (!rules) return;
    const held = env.state.kind === 'held';
    for (const rule of rules) {
      if (held && rule.when === 'nogil') continue;
      const ctx = this.contexts.get(env) ?? this.contextOf(env);
      this.rule = rule;
      rule.check(node, ctx);
    }
    this.rule = undefined;
  }

  private contextOf(env: Env): RuleContext {
    const typer = this.model.typer;
    const ctx: RuleContext = {
      state: env.state, scope: env.scope, fn: env.fn, cls: env.cls, model: this.model, typer,
      directives: env.directives,
      loopDepth: env.loopDepth,
      specialisation: env.specialisation,
      injectsGil: env.injectsGil,
      info: (n) => typer.info(n, env.scope),
      kept: (n) => {
        const rows = this.rows;
        return !rows || (n.startPosition.row >= rows.first && n.startPosition.row <= rows.last);
      },
      report: (target, message, extra) => {
        const rule = this.rule;
        if (!rule) throw new Error('GilWalker: a rule reported outside its check');
        this.findings.push({
          code: rule.code, message, severity: extra?.severity ?? DIAGNOSTIC_CODES[rule.code].severity, node: target,
          releasedBy: env.state.releasedBy, data: extra?.data, related: extra?.related,
        });
      },
    };
    this.contexts.set(env, ctx);
    return ctx;
  }

  private walk(node: Node, env: Env): void {
    if (node.hasError ? !CONTAINERS.has(node.type) : isBrokenSyntax(node)) {
      // A syntax error: the compiler reports nothing else, and what error recovery made of the broken part (and of
      // the declarations and statements around it) is no ground for a GIL error. Only class bodies are entered:
      // their well-formed members are checked.
      return;
    }
    if (node.type === 'expression_statement' && isConstantStatement(node)) {
      // Constant expression statements (`[1, 2]`, `f"{0}"`) are dropped by the compiler before GIL checks.
      return;
    }
    if (node.type === 'assignment' || node.type === 'expression_statement') {
      // Pure Python mode declarations (`x = cython.declare(T)`, typedefs, structs) are removed before the GIL checks;
      // `x = cython.declare(T, value)` evaluates the value only (the conversion to T is not judged here).
      const pure = pureDeclarationOf(node);
      if (pure) {
        if (pure.kind === 'declare' && pure.value) this.walk(pure.value, env);
        return;
      }
    }
    if ((node.type === 'raise_statement' || node.type === 'print_statement'
      || (isPrintStatementCall(node) && this.printStatements(node))) && env.state.kind !== 'held' && env.injectsGil) {
      // The compiler wraps `raise` and `print` statements in nogil code in an implicit `with gil:` (InjectGilHandling).
      for (const c of namedChildren(node)) this.walk(c, { ...env, state: HELD });
      return;
    }
    this.dispatch(node, env);
    if (DECLARATION_ONLY.has(node.type)) return;
    switch (node.type) {
      case 'function_definition': case 'c_function_definition': {
        this.walkFunction(node, env);
        return;
      }
      case 'class_definition': case 'cdef_class_definition': case 'cypclass_definition': {
        const name = field(node, 'name')?.text;
        const sym = name ? env.scope.lookup(name) : undefined;
        const cls = definedClassOf(sym?.type);
        const body = field(node, 'body');
        const supers = field(node, 'superclasses');
        if (supers) this.walk(supers, env);
        if (body) {
          const classScope = new Scope('class', env.scope);
          const directives = definitionDirectives(node, env.directives);
          for (const c of namedChildren(body)) {
            if (this.skip?.has(c.id)) continue;
            this.walk(c, { ...env, directives, scope: classScope, cls, fn: undefined });
          }
        }
        return;
      }
      case 'compile_time_if_statement': {
        // only the branch the compiler keeps (DEF constants decide it at parse time)
        const kept = keptCompileTimeBranch(node, (c) => this.model.constantCondition(c, env.specialisation));
        if (kept === undefined) break;
        if (kept) this.walk(kept, env);
        return;
      }
      case 'c_variable_declaration': {
        for (const d of fields(node, 'declarator')) {
          const value = field(d, 'value');
          if (value) this.walk(value, env);
        }
        return;
      }
      default:
        break;
    }
    if (node.type === 'if_statement') {
      this.walkIf(node, env);
      return;
    }
    if ((node.type === 'comparison_operator' || node.type === 'boolean_operator')
      && this.model.constantCondition(node, env.specialisation) !== undefined) {
      // A compile-time test (`fused_t is double`, `DEBUG > 1`, `False and x`): folded away, nothing of it runs.
      return;
    }
    if (node.type === 'conditional_expression') {
      // `a if TEST else b` with a compile-time test is only the chosen operand (ConstantFolding.visit_CondExprNode).
      const [body, test, other] = namedChildren(node).filter((c) => c.type !== 'comment');
      const value = test ? this.model.constantCondition(test, env.specialisation) : undefined;
      if ((value === true || value === false) && body && other) {
        this.walk(value ? body : other, env);
        return;
      }
    }
    if (COMPREHENSIONS.has(node.type)) {
      // Their variables live in their own scope; unknown types there never cause reports.
      const scope = new Scope('comprehension', env.scope);
      for (const c of namedChildren(node)) this.walk(c, { ...env, scope });
      return;
    }
    if (node.type === 'assert_statement' && env.state.kind !== 'held' && env.injectsGil) {
      // `assert cond, msg`: the test runs without the GIL; raising (and building msg) acquires it (PostParse makes
      // the raise a RaiseStatNode, which InjectGilHandling wraps). Elsewhere (prange bodies) the raise is an error.
      namedChildren(node).forEach((c, i) => this.walk(c, i === 0 ? env : { ...env, state: HELD }));
      return;
    }
    const scoped = withDirectives(node, env.directives);
    if (scoped) {
      for (const c of namedChildren(node)) this.walk(c, { ...env, directives: scoped });
      return;
    }
    const transition = gilTransition(node);
    const prangeOrTransition = transition !== undefined || node.type === 'for_statement';
    if (prangeOrTransition || LOOPS.has(node.type)) {
      const constant = (c: Node): boolean | 'maybe' | undefined => this.model.constantCondition(c, env.specialisation);
      const inner = bodyState(node, env.state, constant);
      const items = transition ? withItemStates(node, env.state, constant).items
        : undefined;
      const body = field(node, 'body');
      // prange's own arguments are evaluated inside the parallel section it opens.
      const prangeCall = prangeOf(node) && inner ? field(node, 'right') : null;
      for (const c of namedChildren(node)) {
        if (prangeCall && c.id === prangeCall.id && inner) {
          this.walk(c, { ...env, state: inner });
        } else if (items && (c.type === 'with_clause' || c.type === 'with_item')) {
          // `with lock, nogil, parallel(...)`: nested with statements; the items after `nogil` run without the GIL.
          for (const item of c.type === 'with_clause' ? namedChildren(c) : [c]) {
            const step = items.get(item.id);
            if (step?.transition) continue; // `nogil`/`gil` itself is compile-time
            this.walk(item, step ? { ...env, state: step.state } : env);
          }
        } else if (body && c.id === body.id) {
          // prange bodies are excluded: acquiring the GIL there is the only way to touch Python objects.
          const loopDepth = LOOPS.has(node.type) && !prangeOf(node) ? env.loopDepth + 1 : env.loopDepth;
          const conditionOk = !transition?.condition || constant(transition.condition) !== undefined;
          if (!conditionOk) continue; // the compiler stops at a non-constant condition
          // InjectGilHandling does not see prange loops as such (nogil=True or not): no implicit `with gil:` there.
          const injectsGil = transition ? transition.to === 'nogil' && inner?.kind === 'released'
            : prangeOf(node) ? false : env.injectsGil;
          this.walk(c, { ...env, state: inner ?? env.state, loopDepth, injectsGil });
        } else {
          this.walk(c, env);
        }
      }
      return;
    }
    // Statements after a `return`/`raise`/`break`/`continue` are removed by the compiler before its GIL check.
    for (const c of node.type === 'block' && env.directives.remove_unreachable ? reachableStatements(namedChildren(node))
      : namedChildren(node)) {
      this.walk(c, env);
    }
  }

  private walkFunction(node: Node, env: Env): void {
    const info = this.model.functionInfo(node, env.scope, env.cls);
    let state: GilState = HELD;
    const sig = info.signature;
    if (sig && sig.nogil && !sig.withGil) {
      const spec = [...fields(node, 'gil_spec'), ...namedChildren(node).filter((c) => c.type === 'gil_spec')]
        .find((g) => g.text.trim() === 'nogil');
      state = { kind: 'nogil-function', releasedBy: spec ?? field(node, 'name') ?? node };
    }
    // Default values are evaluated where the function is defined.
    const params = field(node, 'parameters');
    if (params) {
      for (const p of namedChildren(params)) {
        const def = field(p, 'default') ?? field(p, 'value');
        if (def) this.walk(def, env);
      }
    }
    const body = field(node, 'body');
    if (!body) return;
    const inner: Env = { directives: definitionDirectives(node, env.directives), state, scope: info.scope, fn: info,
      cls: env.cls, loopDepth: 0, injectsGil: state.kind === 'nogil-function', specialisation: env.specialisation };
    // A fused function is checked once per specialisation, with its type tests folded (ReplaceFusedTypeChecks);
    // a finding of any specialisation is reported once.
    const specialisations = specialisationsFrom(info.fusedTests ?? fusedTestsOf(body, this.model.collector),
      env.specialisation);
    const first = this.findings.length;
    const stmts = namedChildren(body);
    const reachable = inner.directives.remove_unreachable ? reachableStatements(stmts) : stmts;
    if (specialisations.length <= 1) {
      const one: Env = { ...inner, specialisation: specialisations[0] ?? env.specialisation };
      for (const c of reachable) {
        if (this.isCancelled()) return;
        this.walk(c, one);
      }
      return;
    }
    // What all specialisations share is walked once: a statement whose walk in the first specialisation never read
    // it (no fused-type test decided, no nested fused function) walks the same way in every other one, so there it
    // could only report what the first one did (dropped below). The others walk only the statements that read it.
    const watched = new WatchedSpecialisation(specialisations[0]);
    const firstEnv: Env = { ...inner, specialisation: watched };
    const differing: Node[] = [];
    for (const c of reachable) {
      if (this.isCancelled()) return;
      watched.read = false;
      this.walk(c, firstEnv);
      if (watched.read) differing.push(c);
    }
    for (const specialisation of differing.length ? specialisations.slice(1) : []) {
      const other: Env = { ...inner, specialisation };
      for (const c of differing) {
        if (this.isCancelled()) return;
        this.walk(c, other);
      }
    }
    this.dropDuplicates(first);
  }

  /** Findings from `first` on that another specialisation already reported (same rule, node and message). */
  private dropDuplicates(first: number): void {
    const seen = new Set<string>();
    const kept = this.findings.slice(first).filter((f) => {
      const key = `${f.code}|${f.node.id}|${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    this.findings.splice(first, this.findings.length - first, ...kept);
  }

  /**
   * `if`/`elif` chains with compile-time conditions (literals, DEF constants, fused-type tests in a specialisation):
   * the compiler removes false clauses and everything after a true one (Optimize.ConstantFolding) before GilCheck.
   */
  private walkIf(node: Node, env: Env): void {
    const constant = (c: Node | null): boolean | 'maybe' | undefined =>
      c ? this.model.constantCondition(c, env.specialisation) : undefined;
    const own = constant(field(node, 'condition'));
    if (own !== false) {
      for (const c of namedChildren(node)) {
        if (c.type !== 'elif_clause' && c.type !== 'else_clause') this.walk(c, env);
      }
      if (own === true) return;
    }
    for (const c of namedChildren(node)) {
      if (c.type === 'else_clause') {
        this.walk(c, env);
      } else if (c.type === 'elif_clause') {
        const value = constant(field(c, 'condition'));
        if (value === false) continue;
        this.walk(c, env);
        if (value === true) return;
      }
    }
  }
}

const NON_CONSTANT = new Set(['identifier', 'call', 'attribute', 'subscript', 'lambda', 'list_comprehension',
  'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'await', 'yield', 'named_expression',
  'cast_expression', 'address_of', 'new_expression']);

/** An expression statement made only of literals: the compiler's constant folding removes it. */
function isConstantStatement(node: Node): boolean {
  const expr = namedChildren(node).filter((c) => c.type !== 'comment');
  if (expr.length !== 1) return false;
  const e = expr[0];
  const stack: Node[] = [e];
  while (stack.length) {
    const n = stack.pop()!;
    if (NON_CONSTANT.has(n.type)) return false;
    stack.push(...namedChildren(n));
  }
  return true;
}

/**
 * A specialisation that notes whether it was read (every question a walk asks of it goes through these methods; its
 * identity is never compared), so that the walker knows which statements depend on it.
 */
class WatchedSpecialisation implements ReadonlyMap<string, CType> {
  read = false;

  constructor(private readonly spec: Specialisation) {}

  get size(): number {
    this.read = true;
    return this.spec.size;
  }

  get(key: string): CType | undefined {
    this.read = true;
    return this.spec.get(key);
  }

  has(key: string): boolean {
    this.read = true;
    return this.spec.has(key);
  }

  forEach(f: (value: CType, key: string, map: ReadonlyMap<string, CType>) => void, thisArg?: unknown): void {
    this.read = true;
    this.spec.forEach((v, k) => f.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[string, CType]> {
    this.read = true;
    return this.spec.entries();
  }

  keys(): MapIterator<string> {
    this.read = true;
    return this.spec.keys();
  }

  values(): MapIterator<CType> {
    this.read = true;
    return this.spec.values();
  }

  [Symbol.iterator](): MapIterator<[string, CType]> {
    return this.entries();
  }
}
