/**
 * A nogil constructor (or destructor) of a C++ class whose direct base declares one that needs the GIL
 * (Symtab.CppClassScope.declare_cfunction): constructing the derived class runs the base constructor too.
 */
import type { Node } from 'web-tree-sitter';
import { childrenOfType, field, significantChildren } from '../../model/syntax';
import type { FunctionSignature } from '../../model/c-types';
import type { GilRule, RuleContext } from './rule';

export const CPP_CONSTRUCTOR_MESSAGE =
  'Constructor cannot be called without GIL unless all base constructors can also be called without GIL';

export const cppConstructorBaseGil: GilRule = {
  code: 'cpp-constructor-base-gil',
  nodeTypes: ['cppclass_definition', 'extern_block'],
  when: 'always',
  check(node, ctx) {
    // extern blocks are not walked: their C++ classes are looked at from here
    const classes = node.type === 'cppclass_definition' ? [node] : cppClassesIn(node);
    for (const c of classes) checkClass(c, ctx);
  },
};

function cppClassesIn(block: Node): Node[] {
  const body = field(block, 'body') ?? childrenOfType(block, 'block')[0];
  if (!body) return [];
  return significantChildren(body).flatMap((s) => (s.type === 'cppclass_definition' ? [s]
    : significantChildren(s).filter((c) => c.type === 'cppclass_definition')));
}

function checkClass(node: Node, ctx: RuleContext): void {
  const name = field(node, 'name')?.text;
  const supers = field(node, 'superclasses') ?? childrenOfType(node, 'argument_list')[0];
  const body = field(node, 'body');
  if (!name || !supers || !body) return;
  const own = ctx.model.collector.lookupDotted(name);
  if (own?.type.kind !== 'cpp' || !own.type.cls) return;
  const bases = significantChildren(supers).map((b) => b.text.replace(/\[.*$/s, '').trim());
  for (const member of significantChildren(body)) {
    const fn = member.type === 'c_function_definition' || member.type === 'c_function_declaration' ? member : null;
    const fnName = fn ? field(fn, 'name')?.text : undefined;
    if (!fn || !fnName) continue;
    const kind = fnName === '__init__' || fnName === name ? 'init' : fnName === '__dealloc__' ? 'del' : undefined;
    if (!kind) continue;
    const sig = own.type.cls.methods.get(fnName);
    if (!sig?.nogil) continue;
    for (const base of bases) {
      const baseSym = ctx.model.collector.lookupDotted(base);
      const cls = baseSym?.type.kind === 'cpp' ? baseSym.type.cls : undefined;
      if (!cls) continue; // an unknown base says nothing
      const baseName = base.split('.').pop() ?? base;
      const baseSig: FunctionSignature | undefined = kind === 'init'
        ? cls.methods.get('__init__') ?? cls.methods.get(baseName) : cls.methods.get('__dealloc__');
      if (baseSig && !baseSig.nogil) {
        ctx.report(fn, CPP_CONSTRUCTOR_MESSAGE, { related: baseSig.location
          ? [{ location: baseSig.location, message: 'Base constructor defined here.' }] : undefined });
        break;
      }
    }
  }
}
