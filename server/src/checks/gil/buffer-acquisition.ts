/** Buffer-typed arguments or locals (`np.ndarray[double, ndim=1]`) in nogil functions: acquiring needs the GIL. */
import { parseTypeText } from '../../model/type-syntax';
import type { Node } from 'web-tree-sitter';
import { field, namedChildren } from '../../model/syntax';
import { type GilRule, type RuleContext, nogilSignature } from './rule';

export const BUFFER_MESSAGE = 'Buffer may not be acquired without the GIL. Consider using memoryview slices instead.';

export const bufferAcquisition: GilRule = {
  code: 'nogil-buffer-acquisition',
  nodeTypes: ['c_function_definition'],
  when: 'always',
  check(node, ctx) {
    const sig = nogilSignature(node, ctx);
    if (!sig) return;
    const params = field(node, 'parameters');
    for (const p of params ? namedChildren(params) : []) {
      const t = field(p, 'type');
      if (t && isBufferType(t, ctx)) ctx.report(p, BUFFER_MESSAGE);
    }
  },
};

/** `Foo[...]` without `:` axes, where Foo is an extension type (a buffer), not a C++ template. */
function isBufferType(typeNode: Node, ctx: RuleContext): boolean {
  const ts = parseTypeText(typeNode.text);
  if (ts.memviewAxes > 0 || ts.templateArgs.length === 0) return false;
  const sym = ctx.model.collector.lookupDotted(ts.base);
  return sym?.kind === 'ext-class' || (sym?.kind === 'builtin' && ts.base === 'object');
}
