/** prange / parallel arguments (and the loop target) that are Python objects: the section runs without the GIL. */
import type { Node } from 'web-tree-sitter';
import { isParallelBlock, prangeOf, withItems } from '../../model/gil-state';
import { field, namedChildren } from '../../model/syntax';
import type { GilRule, RuleContext } from './rule';

const message = (name: string): string => `${name} may not be a Python object as we don't have the GIL`;

export const parallelPythonArguments: GilRule = {
  code: 'parallel-python-argument',
  nodeTypes: ['for_statement', 'with_statement', 'with_nogil_statement'],
  when: 'always',
  check(node, ctx) {
    if (node.type === 'for_statement') {
      if (!prangeOf(node)) return;
      const call = field(node, 'right');
      const args = call ? field(call, 'arguments') : null;
      const positional = args ? namedChildren(args).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment') : [];
      const names = positional.length === 1 ? ['stop'] : ['start', 'stop', 'step'];
      positional.forEach((a, i) => report(a, names[i], ctx));
      const target = field(node, 'left');
      if (target) report(target, 'target', ctx);
      if (args) reportUseThreadsIf(args, ctx);
      return;
    }
    if (!isParallelBlock(node)) return;
    for (const item of withItems(node)) {
      const value = field(item, 'value') ?? namedChildren(item)[0];
      const args = value?.type === 'call' ? field(value, 'arguments') : null;
      if (args) reportUseThreadsIf(args, ctx);
    }
  },
};

function reportUseThreadsIf(args: Node, ctx: RuleContext): void {
  for (const kw of namedChildren(args)) {
    if (kw.type === 'keyword_argument' && field(kw, 'name')?.text === 'use_threads_if') {
      const v = field(kw, 'value');
      if (v) report(v, 'use_threads_if', ctx);
    }
  }
}

function report(node: Node, name: string, ctx: RuleContext): void {
  const info = ctx.info(node);
  if (info.type.kind === 'py' && !(info.literal && info.type.name !== 'str')) ctx.report(node, message(name));
}
