/**
 * Ours (a warning): `consume x` of a thread-local reference that the same function has aliased before (`y = x`,
 * `obj.f = x`, or `x = y` from another reference). `consume` needs the only reference: the compiler accepts it and
 * checks at run time (ExprNodes.ConsumeNode generate_runtime_check), where an alias raises TypeError.
 */
import { type Node, field } from '../../model/syntax';
import { enclosingFunction } from './lock-context';
import { type CypclassRule, cypclassOf } from './rule';

/** The assignments and declarations of a function body that run before `before` (by position), with their value. */
function earlierAssignments(body: Node, before: number): { target: Node; value: Node }[] {
  const out: { target: Node; value: Node }[] = [];
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.startIndex >= before) continue;
    if (n.type === 'assignment') {
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (left && right && right.endIndex <= before) out.push({ target: left, value: right });
    } else if (n.type === 'c_declarator') {
      const name = field(n, 'name');
      const value = field(n, 'value');
      if (name && value && value.endIndex <= before) out.push({ target: name, value });
    }
    if (n.type === 'function_definition' || n.type === 'c_function_definition' || n.type === 'lambda') {
      if (n.id !== body.id) continue;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return out;
}

export const consumeAliased: CypclassRule = {
  code: 'cypclass-consume-aliased',
  nodeTypes: ['consume_expression'],
  check(node, ctx) {
    const value = field(node, 'value');
    if (value?.type !== 'identifier') return;
    const t = cypclassOf(ctx.typeOf(value));
    if (!t || t.qualifier) return; // iso references need no check; lock/active ones are checked by count only
    const fn = enclosingFunction(node);
    const body = fn ? field(fn, 'body') : null;
    if (!body) return;
    const name = value.text;
    for (const { target, value: v } of earlierAssignments(body, node.startIndex)) {
      const aliasOut = v.type === 'identifier' && v.text === name && target.text !== name;
      const aliasIn = target.type === 'identifier' && target.text === name && v.type === 'identifier' && v.text !== name
        && cypclassOf(ctx.typeOf(v)) !== undefined;
      if (!aliasOut && !aliasIn) continue;
      const line = target.startPosition.row + 1;
      const alias = aliasOut ? target.text : v.text;
      ctx.report(node, `\`${name}\` may still be referenced by \`${alias}\` (line ${line}): consume raises TypeError at run time if so\n`
        + `\`consume\` hands over the only reference to an object; \`${alias}\` is another one unless it was reassigned since.`);
      return;
    }
  },
};
