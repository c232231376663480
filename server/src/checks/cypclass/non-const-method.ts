/**
 * A method that is not `const` called on a `const` reference (`const A c`, `self` in a `const self` method):
 * PyrexTypes.best_match, "Cannot call non-const method on const object". Reported at the call's `(`.
 */
import { field } from '../../model/syntax';
import { type CypclassRule, compilerNode, cypclassOf } from './rule';

export const nonConstMethod: CypclassRule = {
  code: 'cypclass-const-method',
  nodeTypes: ['call'],
  check(node, ctx) {
    const fn = field(node, 'function');
    if (fn?.type !== 'attribute') return;
    const obj = field(fn, 'object');
    const attr = field(fn, 'attribute');
    if (!obj || !attr) return;
    const t = cypclassOf(ctx.typeOf(obj));
    if (t?.qualifier !== 'const') return;
    const m = t.cls?.methods.get(attr.text);
    const self = m?.params[0];
    if (!m || self?.name !== 'self' || cypclassOf(self.type)?.qualifier === 'const') return;
    ctx.report(compilerNode(node), 'Cannot call non-const method on const object\n'
      + `\`${obj.text}\` is read-only here and \`${attr.text}\` may modify it; declare it \`${attr.text}(const self, ...)\` if it does not.`);
  },
};
