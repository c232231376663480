/**
 * `noexcept` on a (non-extern) cdef function returning a Python object (Nodes.CFuncDeclaratorNode.analyse): such a
 * function signals errors by returning NULL anyway, so the clause is ignored, with a warning. Pure Python mode
 * spells it `@cython.exceptval(check=False)` on a `@cython.cfunc`.
 */
import type { Node } from 'web-tree-sitter';
import { childOfType, childrenOfType, field } from '../../model/syntax';
import type { GilRule, RuleContext } from './rule';

export const NOEXCEPT_IGNORED_MESSAGE = 'noexcept clause is ignored for function returning Python object';

export const noexceptPythonReturn: GilRule = {
  code: 'noexcept-python-return',
  nodeTypes: ['c_function_definition', 'c_function_declaration', 'decorated_definition'],
  when: 'always',
  check(node, ctx) {
    if (node.type === 'decorated_definition') {
      checkPureMode(node, ctx);
      return;
    }
    const noexcept = field(node, 'noexcept') ?? childOfType(node, 'noexcept');
    if (!noexcept) return;
    const sig = ctx.model.ownSignatureOf(node, ctx.cls);
    // a fused return type with Python members is not a Python object type
    if (sig?.returnType.kind !== 'py' || sig.origin === 'extern') return;
    ctx.report(field(node, 'name') ?? node, NOEXCEPT_IGNORED_MESSAGE);
  },
};

/** `@cython.exceptval(check=False)` + `@cython.cfunc`/`ccall` on a def whose return annotation is a Python type. */
function checkPureMode(node: Node, ctx: RuleContext): void {
  const decorators = childrenOfType(node, 'decorator').map((d) => d.text.replace(/\s+/g, ''));
  if (!decorators.some((d) => /^@cython\.(cfunc|ccall)$/.test(d))) return;
  if (!decorators.some((d) => /^@cython\.exceptval\(check=False\)$/.test(d))) return;
  const def = field(node, 'definition') ?? childOfType(node, 'function_definition');
  if (!def || def.type !== 'function_definition') return;
  const annotation = field(def, 'return_type');
  if (annotation) {
    const t = ctx.model.collector.resolveTypeNode(annotation);
    if (t.kind !== 'py') return; // a C type, or one we cannot resolve: nothing to say
  }
  ctx.report(node, NOEXCEPT_IGNORED_MESSAGE);
}
