/** `ctypedef` statements (a C type, a function type or pointer, or the struct, enum or class it wraps) and fused types. */
import { type CType, implicitException } from '../c-types';
import { type Node, field, fields, locationOf, significantChildren } from '../syntax';
import { typeSyntaxOf } from '../type-resolution';
import { parseDeclaratorText } from '../type-syntax';
import type { Collecting, StatementEnv } from './collecting';

export function collectTypedef(collector: Collecting, s: Node, env: StatementEnv): void {
  const inner = significantChildren(s).find((c) => ['struct_definition', 'enum_definition', 'fused_type_definition',
    'cppclass_definition'].includes(c.type));
  if (inner) {
    collector.collectStatement(inner, env);
    return;
  }
  const typeNode = field(s, 'type');
  const declarator = field(s, 'declarator');
  if (!declarator) return;
  const parsed = parseDeclaratorText(declarator.text);
  if (!parsed.name) return;
  let type: CType;
  if (parsed.functionPointer) {
    const ret = typeNode ? typeSyntaxOf(typeNode.text) : undefined;
    // A typedef in Cython code (not extern) checks exceptions like the functions declared there
    // (Parsing.p_exception_value_clause); a function type (not a pointer) also gets the return type's implicit
    // error value, outside .pxd files (Nodes.CFuncDeclaratorNode.analyse).
    const sig = collector.signatures.functionPointerSignature(parsed.name,
      ret && parsed.function ? { ...ret, pointers: ret.pointers + parsed.pointers } : ret, parsed.functionPointer,
      env.extern);
    if (parsed.function && !env.extern && !/\b(noexcept|except)\b/.test(parsed.functionPointer.trailer ?? '')) {
      sig.exception = implicitException(sig.returnType, 'cdef', collector.ctx.inPxd, false);
    }
    // `ctypedef void (*F)(int)` names a pointer type, `ctypedef void F(int)` a function type
    type = parsed.function ? { kind: 'func', sig } : { kind: 'ptr', base: { kind: 'func', sig } };
  } else {
    const base = typeNode ? typeSyntaxOf(typeNode.text) : typeSyntaxOf('int');
    type = collector.resolveTypeSyntax({ ...base, pointers: base.pointers + parsed.pointers,
      arrays: base.arrays + parsed.arrays });
    if (type.kind === 'scalar') type = { ...type, name: parsed.name, underlying: type.underlying ?? type.name };
  }
  collector.scope.define({ name: parsed.name, kind: 'c-type', type, binding: 'module',
    location: locationOf(collector.ctx.uri, declarator), origin: `ctypedef ${typeNode?.text ?? ''}`.trim() });
}

export function collectFused(collector: Collecting, s: Node): void {
  const name = field(s, 'name')?.text;
  if (!name) return;
  const members = fields(s, 'type').map((t) => collector.resolveTypeNode(t));
  const type: CType = { kind: 'fused', name, members };
  collector.scope.define({ name, kind: 'c-type', type, binding: 'module', location: locationOf(collector.ctx.uri, s),
    origin: 'ctypedef fused' });
}
