/**
 * Ours (a warning): under `with rlocked obj:` (a read lock: other threads may read at the same time) a call of a
 * method of `obj` that is not `const`, or an assignment to one of its fields. The compiler accepts both; the object
 * is then modified while other threads read it.
 */
import { field } from '../../model/syntax';
import { enclosingLocks } from './lock-context';
import { type CypclassRule, cypclassOf } from './rule';

export const rlockedMutation: CypclassRule = {
  code: 'cypclass-rlocked-mutation',
  nodeTypes: ['call', 'assignment', 'augmented_assignment'],
  check(node, ctx) {
    const target = node.type === 'call' ? field(node, 'function') : field(node, 'left');
    if (target?.type !== 'attribute') return;
    const obj = field(target, 'object');
    const attr = field(target, 'attribute');
    if (!obj || !attr || obj.type !== 'identifier') return;
    const lock = enclosingLocks(node).find((l) => l.object === obj.text);
    if (lock?.mode !== 'rlocked') return;
    const cls = cypclassOf(ctx.typeOf(obj))?.cls;
    if (!cls) return;
    if (node.type === 'call') {
      const m = cls.methods.get(attr.text);
      const self = m?.params[0];
      if (!m || self?.name !== 'self' || cypclassOf(self.type)?.qualifier === 'const') return;
      ctx.report(node, `Method \`${attr.text}\` is not const, and \`${obj.text}\` is only read-locked here\n`
        + `\`with rlocked\` lets other threads read \`${obj.text}\` at the same time; a method that may modify it needs \`with wlocked\` (or declare it \`${attr.text}(const self, ...)\`).`);
    } else if (cls.attributes.has(attr.text)) {
      ctx.report(target, `Field \`${attr.text}\` is written while \`${obj.text}\` is only read-locked\n`
        + `\`with rlocked\` lets other threads read \`${obj.text}\` at the same time; writing needs \`with wlocked\`.`);
    }
  },
};
