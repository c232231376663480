/**
 * Under `# cython: legacy_implicit_noexcept=True`, a cdef function (or function pointer) of a non-Python return type
 * without an exception clause is `noexcept`, with a deprecation warning (Nodes.CFuncDeclaratorNode.analyse).
 */
import type { Node } from 'web-tree-sitter';
import { childOfType, childrenOfType, field, fields } from '../../model/syntax';
import { parseDeclaratorText, parseTypeText } from '../../model/type-syntax';
import type { GilRule, RuleContext } from './rule';

export const IMPLICIT_NOEXCEPT_MESSAGE =
  "Implicit noexcept declaration is deprecated. Function declaration should contain 'noexcept' keyword.";

export const implicitNoexcept: GilRule = {
  code: 'implicit-noexcept',
  nodeTypes: ['c_function_definition', 'c_function_declaration', 'c_variable_declaration', 'decorated_definition'],
  when: 'always',
  check(node, ctx) {
    if (!ctx.directives.legacy_implicit_noexcept) return;
    if (node.type === 'c_variable_declaration') {
      checkPointers(node, ctx);
      return;
    }
    if (node.type === 'decorated_definition') {
      checkPureMode(node, ctx);
      return;
    }
    if (field(node, 'noexcept') ?? childOfType(node, 'noexcept')) return;
    if (field(node, 'exception_spec') ?? childOfType(node, 'exception_spec')) return;
    const sig = ctx.model.ownSignatureOf(node, ctx.cls);
    if (!sig || sig.origin === 'extern' || sig.returnType.kind === 'py' || sig.returnType.kind === 'unknown') return;
    ctx.report(field(node, 'name') ?? node, IMPLICIT_NOEXCEPT_MESSAGE);
  },
};

/** `cdef int (*fp)(int, int)`: a function pointer declared in Cython code without an exception clause. */
function checkPointers(node: Node, ctx: RuleContext): void {
  const type = field(node, 'type');
  if (!type || type.text.trim() === 'object') return;
  for (const d of fields(node, 'declarator')) {
    const fp = parseDeclaratorText(d.text).functionPointer;
    if (!fp || /\b(noexcept|except)\b/.test(fp.trailer ?? '')) continue;
    const ret = ctx.model.collector.resolveTypeSyntax(parseTypeText(type.text));
    if (ret.kind === 'py' || ret.kind === 'unknown') continue;
    ctx.report(d, IMPLICIT_NOEXCEPT_MESSAGE);
  }
}

/** `@cython.cfunc` def with a C return annotation and no `@cython.exceptval`. */
function checkPureMode(node: Node, ctx: RuleContext): void {
  const decorators = childrenOfType(node, 'decorator').map((d) => d.text.replace(/\s+/g, ''));
  if (!decorators.some((d) => /^@cython\.(cfunc|ccall)$/.test(d))) return;
  if (decorators.some((d) => d.startsWith('@cython.exceptval'))) return;
  const def = field(node, 'definition') ?? childOfType(node, 'function_definition');
  const annotation = def?.type === 'function_definition' ? field(def, 'return_type') : null;
  if (!annotation) return;
  const t = ctx.model.collector.resolveTypeNode(annotation);
  if (t.kind === 'py' || t.kind === 'unknown') return;
  ctx.report(node, IMPLICIT_NOEXCEPT_MESSAGE);
}
