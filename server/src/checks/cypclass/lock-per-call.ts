/**
 * Ours (a hint): a method called on a `lock` reference outside `with wlocked`/`with rlocked` of that reference. The
 * compiler accepts it and wraps each such call in its own lock (taken and released per call): two calls in a row are
 * not atomic together, and each pays for the lock.
 */
import { field } from '../../model/syntax';
import { enclosingLocks } from './lock-context';
import { type CypclassRule, cypclassOf } from './rule';

export const lockPerCall: CypclassRule = {
  code: 'cypclass-lock-per-call',
  nodeTypes: ['call'],
  check(node, ctx) {
    const fn = field(node, 'function');
    if (fn?.type !== 'attribute') return;
    const obj = field(fn, 'object');
    const attr = field(fn, 'attribute');
    if (!obj || !attr || obj.type !== 'identifier') return;
    const t = cypclassOf(ctx.typeOf(obj));
    if (t?.qualifier !== 'lock' || !t.cls?.methods.has(attr.text)) return;
    if (enclosingLocks(node).some((l) => l.object === obj.text)) return;
    ctx.report(node, `Each call on the lock reference \`${obj.text}\` takes and releases its lock\n`
      + `Group the calls in \`with wlocked ${obj.text}:\` (or \`rlocked\` to read): one lock for all of them, and no other `
      + 'thread can change the object between them.', { fix: 'wrap-wlocked', object: obj.text });
  },
};
