/**
 * A method of an `active` reference called with the wrong number of arguments (PyrexTypes.best_match): an
 * asynchronous call takes a first `sync_method` argument (a `lock` object, or NULL) before the method's own
 * arguments (Symtab.reify_method), which `a.work(n)` forgets.
 */
import { calleeSignature } from '../../model/expression-types';
import { field, significantChildren } from '../../model/syntax';
import { type CypclassRule, compilerNode, cypclassOf } from './rule';

export const activeCallArity: CypclassRule = {
  code: 'cypclass-active-call-arity',
  nodeTypes: ['call'],
  check(node, ctx) {
    const fn = field(node, 'function');
    const args = field(node, 'arguments');
    if (fn?.type !== 'attribute' || args?.type !== 'argument_list') return;
    const obj = field(fn, 'object');
    if (!obj || cypclassOf(ctx.typeOf(obj))?.qualifier !== 'active') return;
    const sig = calleeSignature(ctx.typeOf(fn));
    if (!sig || sig.params[0]?.name !== 'sync_method') return;
    const argNodes = significantChildren(args);
    if (argNodes.some((a) => /keyword_argument|splat/.test(a.type))) return;
    const max = sig.params.length;
    const min = sig.params.filter((p) => !p.hasDefault).length;
    const got = argNodes.length;
    if (got >= min && (sig.varargs || got <= max)) return;
    const expected = max === min && !sig.varargs ? String(max) : got < min ? `at least ${min}` : `at most ${max}`;
    ctx.report(compilerNode(node), `Call with wrong number of arguments (expected ${expected}, got ${got})\n`
      + `A call on the active object \`${obj.text}\` is sent as a message: its first argument is the lock object to `
      + 'synchronise with (or NULL), before the method\'s own arguments.');
  },
};
