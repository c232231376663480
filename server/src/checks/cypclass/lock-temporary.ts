/**
 * Ours (a warning): `with wlocked`/`with rlocked` on a temporary object (a call, a `consume`): the lock is taken on
 * an object that no other reference reaches once the statement starts, so it protects nothing. The compiler accepts it.
 */
import { field } from '../../model/syntax';
import { type CypclassRule, cypclassOf } from './rule';

export const lockTemporary: CypclassRule = {
  code: 'cypclass-lock-temporary',
  nodeTypes: ['with_locked_statement'],
  check(node, ctx) {
    let obj = field(node, 'object');
    while (obj?.type === 'parenthesized_expression' || obj?.type === 'cast_expression') {
      obj = obj.type === 'cast_expression' ? field(obj, 'value') : obj.namedChildren.find((c) => c?.type !== 'comment') ?? null;
    }
    if (!obj || (obj.type !== 'call' && obj.type !== 'consume_expression')) return;
    if (!cypclassOf(ctx.typeOf(obj))) return;
    const mode = field(node, 'mode')?.text ?? 'wlocked';
    ctx.report(obj, `\`with ${mode}\` on a temporary object\n`
      + 'No other reference reaches this object, so the lock protects nothing; lock a named reference that other code shares.');
  },
};
