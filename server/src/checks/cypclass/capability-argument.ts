/**
 * Passing a cypclass reference to a parameter of another capability (the argument's coercion in
 * ExprNodes.SimpleCallNode.analyse_c_function_call, PyrexTypes.QualifiedCypclassType.assignable_from): `f(lock A o)`
 * called with a thread-local `A`; a method of an `iso`/`lock` object takes only handed-over objects (its arguments
 * are `iso->`/`lock->`, Symtab.IsoCypclassScope); an asynchronous call on an `active` object too. Checked for
 * positional arguments of a C function or cypclass method whose parameter and argument are the same cypclass.
 */
import { typeToString } from '../../model/c-types';
import { capabilityRefused } from '../../model/cypclass-capabilities';
import { field, significantChildren } from '../../model/syntax';
import { calleeSignature } from '../../model/expression-types';
import { whyRefused } from './capabilities-plain';
import { type CypclassRule, compilerNode, consumeFix, cypclassOf } from './rule';

export const capabilityArgument: CypclassRule = {
  code: 'cypclass-capability-argument',
  nodeTypes: ['call'],
  check(node, ctx) {
    const fn = field(node, 'function');
    const args = field(node, 'arguments');
    if (!fn || !args || args.type !== 'argument_list') return;
    const sig = calleeSignature(ctx.typeOf(fn));
    if (!sig) return;
    const argNodes = significantChildren(args);
    if (argNodes.some((a) => /keyword_argument|splat/.test(a.type))) return;
    argNodes.forEach((arg, i) => {
      const t = cypclassOf(sig.params[i]?.type ?? { kind: 'void' });
      if (!t || t.args.length) return;
      const s = cypclassOf(ctx.typeOf(arg));
      if (!s || s.name !== t.name || s.args.length) return;
      if (capabilityRefused(s.qualifier, t.qualifier) !== true) return;
      const what = arg.type === 'identifier' ? `\`${arg.text}\``
        : arg.type === 'call' && field(arg, 'function')?.text === t.name ? 'The new object' : 'The argument';
      ctx.report(compilerNode(arg), `Cannot assign type '${typeToString(s)}' to '${typeToString(t)}'\n`
        + whyRefused(what, s.qualifier, t.qualifier, arg.text), consumeFix(arg, capabilityRefused('iso~', t.qualifier) === false));
    });
  },
};
