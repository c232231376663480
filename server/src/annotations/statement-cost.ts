/**
 * Statements: the dispatch by statement kind (bindings: assignment-cost.ts; loops: loop-cost.ts; `with`:
 * gil-region-cost.ts; exceptions: exception-cost.ts; `match`: match-cost.ts; nested definitions: the walker's `definition`), blocks with
 * unreachable code dropped, conditions folded at compile time, expression statements, `return` and imports.
 */
import { keptCompileTimeBranch } from '../model/compile-time-branch';
import { pureDeclarationOf } from '../model/pure-declarations';
import { isExtensionClassNode } from './cost-env';
import { type CType, PY_OBJECT } from '../model/c-types';
import { type Node, field, fields, significantChildren } from '../model/syntax';
import { assignment, augmented, declaration, deletion } from './assignment-cost';
import { NO_CODE, terminates } from './control-flow';
import { type CostEnv, gilHeld, lineOf } from './cost-env';
import { raiseStatement, tryStatement } from './exception-cost';
import { label } from './expression-info';
import { withStatement } from './gil-region-cost';
import { MACRO, PY_CALL, PYX_CALL } from './line-costs';
import { matchStatement } from './match-cost';
import { forStatement } from './loop-cost';

/** The statements of a block in order; after a terminator the rest is dropped when `remove_unreachable` is on. */
export function blockCost(node: Node | null, env: CostEnv): void {
  if (!node) return;
  for (const s of significantChildren(node)) {
    env.walk.statement(s, env);
    // ParseTreeTransforms.py RemoveUnreachableCode: statements after a terminator are dropped
    if (env.directives.remove_unreachable && terminates(s)) return;
  }
}

export function statementCost(node: Node, env: CostEnv): void {
  if (NO_CODE.has(node.type)) return;
  env.sink.mark(lineOf(node));
  switch (node.type) {
    case 'expression_statement':
      for (const c of significantChildren(node)) expressionStatement(c, env);
      return;
    case 'assignment':
      assignment(node, env);
      return;
    case 'augmented_assignment':
      augmented(node, env);
      return;
    case 'return_statement':
      returnStatement(node, env);
      return;
    case 'if_statement': case 'elif_clause': {
      // Clauses with a compile-time condition (literals, DEF constants, fused-type tests of the specialisation being
      // walked) are folded away: false ones generate no code, a true one ends the chain (Optimize.ConstantFolding).
      for (const clause of [node, ...fields(node, 'alternative')]) {
        if (clause.type === 'else_clause') {
          env.walk.statement(clause, env);
          return;
        }
        const cond = field(clause, 'condition');
        const value = cond ? env.model.constantCondition(cond, env.specialisation) : undefined;
        if (value === false) continue;
        if (clause !== node) env.sink.mark(lineOf(clause));
        if (cond && value === undefined) env.walk.condition(cond, env);
        env.walk.block(field(clause, 'consequence'), env);
        if (value === true) return;
      }
      return;
    }
    case 'else_clause': case 'compile_time_else_clause':
      env.walk.block(field(node, 'body') ?? significantChildren(node).find((c) => c.type === 'block') ?? null, env);
      return;
    case 'compile_time_if_statement': {
      const kept = keptCompileTimeBranch(node, (c) => env.model.constantCondition(c));
      if (kept !== undefined) {
        if (kept) env.walk.block(kept, env);
        return;
      }
      env.walk.block(field(node, 'consequence'), env);
      for (const alt of fields(node, 'alternative')) env.walk.statement(alt, env);
      return;
    }
    case 'compile_time_elif_clause':
      env.walk.block(field(node, 'consequence'), env);
      for (const alt of fields(node, 'alternative')) env.walk.statement(alt, env);
      return;
    case 'while_statement': {
      const cond = field(node, 'condition');
      if (cond) env.walk.condition(cond, env);
      env.walk.block(field(node, 'body'), env);
      const alt = field(node, 'alternative');
      if (alt) env.walk.statement(alt, env);
      return;
    }
    case 'for_statement':
      forStatement(node, env);
      return;
    case 'for_from_statement':
      for (const f of ['lower', 'upper', 'step']) {
        const v = field(node, f);
        if (v) env.walk.expr(v, env);
      }
      env.walk.block(field(node, 'body'), env);
      return;
    case 'with_statement': case 'with_nogil_statement': case 'with_gil_statement':
      withStatement(node, env);
      return;
    case 'raise_statement':
      raiseStatement(node, env);
      return;
    case 'try_statement':
      tryStatement(node, env);
      return;
    case 'match_statement':
      matchStatement(node, env);
      return;
    case 'assert_statement': {
      const [cond, msg] = significantChildren(node);
      if (cond) env.walk.condition(cond, env);
      if (msg) env.walk.exprTo(msg, PY_OBJECT, env);
      if (gilHeld(env)) env.sink.add(lineOf(node), PYX_CALL, 'assert raises AssertionError');
      env.facts.raises = true;
      return;
    }
    case 'delete_statement':
      for (const t of significantChildren(node)) deletion(t, env);
      return;
    case 'import_statement': case 'import_from_statement':
      importStatement(node, env);
      return;
    case 'cdef_statement': case 'cdef_block':
      for (const c of significantChildren(node)) env.walk.statement(c, env);
      return;
    case 'c_variable_declaration':
      declaration(node, env);
      return;
    case 'function_definition': case 'c_function_definition': case 'decorated_definition':
    case 'class_definition': case 'cdef_class_definition':
      env.walk.definition(node, env);
      return;
    case 'block':
      env.walk.block(node, env);
      return;
    default:
      for (const c of significantChildren(node)) {
        if (c.type === 'block') env.walk.block(c, env);
      }
  }
}

function expressionStatement(node: Node, env: CostEnv): void {
  if (node.type === 'assignment') return assignment(node, env);
  // `cython.declare(x=T, y=U)`: declarations, no code (pure Python mode)
  if (node.type === 'call' && node.parent && pureDeclarationOf(node.parent)) return;
  if (node.type === 'augmented_assignment') return augmented(node, env);
  if (node.type === 'string' || node.type === 'concatenated_string') return; // docstrings, bare strings
  const info = env.walk.expr(node, env);
  if (gilHeld(env) && info.type.kind === 'py' && info.temp) {
    env.sink.here(MACRO, 'discarded Python result released');
  }
}

function returnStatement(node: Node, env: CostEnv): void {
  const value = significantChildren(node)[0];
  const fn = env.fn;
  const slot = fn ? slotReturnType(fn.node, env) : undefined;
  const returnsPy = !slot && (!fn || fn.isPythonFunction || fn.signature?.returnType.kind === 'py');
  if (!gilHeld(env)) env.facts.returns++;
  if (!value) {
    if (returnsPy && gilHeld(env) && fn) env.sink.add(lineOf(node), 2 * MACRO, 'None returned to Python');
    return;
  }
  const target: CType = slot ?? (fn?.signature && !fn.isPythonFunction ? fn.signature.returnType : PY_OBJECT);
  const vi = env.walk.exprTo(value, target, env);
  if (!gilHeld(env) || !returnsPy) return;
  const extra = vi.temp ? 0 : MACRO;
  env.sink.here(MACRO + extra, 'return value handed over as a Python object');
}

/** Type slots of a `cdef class` whose C signature returns a C value (TypeSlots.py): `__len__` → Py_ssize_t... */
const SLOT_RETURNS: Record<string, string> = {
  __len__: 'Py_ssize_t', __hash__: 'Py_hash_t', __bool__: 'int', __contains__: 'int', __setitem__: 'int',
  __delitem__: 'int', __setattr__: 'int', __delattr__: 'int', __set__: 'int', __delete__: 'int', __getbuffer__: 'int',
};

function slotReturnType(def: Node, env: CostEnv): CType | undefined {
  if (def.type !== 'function_definition') return undefined;
  const name = SLOT_RETURNS[field(def, 'name')?.text ?? ''];
  if (!name) return undefined;
  let p = def.parent;
  while (p && (p.type === 'block' || p.type === 'decorated_definition')) p = p.parent;
  return p && isExtensionClassNode(p, env) ? { kind: 'scalar', name, family: 'int' } : undefined;
}

function importStatement(node: Node, env: CostEnv): void {
  if (!gilHeld(env)) return;
  const line = lineOf(node);
  if (node.type === 'import_statement') {
    // `import cython` is a compile-time module: no code
    const names = significantChildren(node).filter((n) => !/^cython(\.|$)/.test(
      (n.type === 'aliased_import' ? field(n, 'name') ?? n : n).text.replace(/\s+/g, '')));
    if (names.length === 0) return;
    // per module: __Pyx_ImportDottedModule, then the store (the module dict, or a local)
    env.sink.add(line, names.length * (env.level === 'module' ? PYX_CALL + PY_CALL + MACRO : PYX_CALL),
      `Python import \`${label(node)}\``);
  } else {
    const module = field(node, 'module_name');
    if (module?.text === '__future__' || /^cython(\.|$)/.test(module?.text.replace(/\s+/g, '') ?? '')) return;
    const names = significantChildren(node).filter((n) => n !== module);
    if (names.some((n) => n.type === 'wildcard_import')) {
      env.sink.add(line, PYX_CALL + MACRO, `every public name of \`${module?.text ?? ''}\` imported (__Pyx_import_all_from)`);
    } else {
      // __Pyx_Import with the list of names, then per name __Pyx_ImportFrom and the store
      env.sink.add(line, PYX_CALL + (env.level === 'module' ? PYX_CALL + MACRO : 0), `Python import \`${module?.text ?? ''}\``);
      env.sink.add(line, names.length * (PYX_CALL + MACRO), `names fetched from \`${module?.text ?? ''}\``);
    }
  }
  env.facts.raises = true;
}
