/**
 * The constructor wrapper the compiler writes for a cypclass (ModuleNode.generate_cyp_class_wrapper_function): a
 * `__new__` whose optional arguments start before `__init__`'s cannot pass the missing defaults on ("Could not call
 * this __init__ function..." at `__init__`, "Wrapped __new__ is here..." at `__new__`); an `__init__` with `...`
 * (and no `__new__`) cannot be wrapped at all. Checked on one `__init__` and one `__new__` defined in the class body.
 */
import { type Node, field, fields, significantChildren } from '../../model/syntax';
import { type CypclassRule, cypclassOf } from './rule';

const METHODS = new Set(['c_function_definition', 'c_function_declaration']);

function parametersOf(fn: Node): readonly Node[] {
  const params = field(fn, 'parameters');
  return params ? significantChildren(params) : [];
}

/** Arguments without a default, after the first (self / alloc); undefined if the list holds something unexpected. */
function requiredAfterFirst(fn: Node): number | undefined {
  const params = parametersOf(fn);
  if (params.some((p) => p.type !== 'c_parameter')) return undefined;
  return params.slice(1).filter((p) => fields(p, 'default').length === 0 && !field(p, 'default')).length;
}

/**
 * Where the compiler places a constructor: a definition at its start, a declaration at its declarator (the `(` after
 * a return type; without one, where the compiler's declarator starts: the first argument).
 */
function compilerPosition(fn: Node): Node {
  const ret = field(fn, 'return_type');
  if (fn.type === 'c_function_definition') return ret ?? field(fn, 'name') ?? fn;
  const params = field(fn, 'parameters');
  if (ret) return params ?? fn;
  return parametersOf(fn)[0] ?? params ?? fn;
}

export const constructorWrapper: CypclassRule = {
  code: 'cypclass-constructor-wrapper',
  nodeTypes: ['cypclass_definition'],
  check(node, ctx) {
    const body = field(node, 'body');
    const name = field(node, 'name')?.text;
    if (!body || !name) return;
    const methods = significantChildren(body).map((m) => (m.type === 'decorated_definition' ? field(m, 'definition') : m))
      .filter((m): m is Node => m !== null && METHODS.has(m.type));
    const inits = methods.filter((m) => field(m, 'name')?.text === '__init__');
    const news = methods.filter((m) => field(m, 'name')?.text === '__new__');
    if (inits.length !== 1 || news.length > 1) return;
    const init = inits[0];
    const newFn = news[0];
    if (!newFn) {
      const params = parametersOf(init);
      if (!params.some((p) => p.type === 'ellipsis') || !params[0]) return;
      ctx.report(compilerPosition(init), 'Cypclass cannot handle variable arguments constructors, but you can use optional arguments (arg=some_value)\n'
        + 'The object is built by a wrapper that passes its arguments on: a `...` list cannot be passed on.');
      return;
    }
    // the wrapper calls __init__ only when __new__ returns the class itself
    const ret = field(newFn, 'return_type');
    const retName = ret ? field(ret, 'name')?.text : undefined;
    if (!ret || retName !== name || ret.text.trim() !== name || !cypclassOf(ctx.scope.lookup(name)?.type ?? { kind: 'void' })) return;
    const minInit = requiredAfterFirst(init);
    const minNew = requiredAfterFirst(newFn);
    if (minInit === undefined || minNew === undefined || minNew >= minInit) return;
    ctx.report(compilerPosition(init),
      "Could not call this __init__ function because the corresponding __new__ wrapper isn't aware of default values\n"
      + '`__new__` lets arguments out that `__init__` requires; the wrapper does not know their default values.');
    ctx.report(compilerPosition(newFn), 'Wrapped __new__ is here (some args passed to __init__ could be at their default values)\n'
      + 'Give `__new__` and `__init__` the same required arguments.');
  },
};
