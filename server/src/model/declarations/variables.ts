/** C variable declarations (`cdef int a, *b`): module globals, locals, extern variables, attributes and fields. */
import { type CType, type ClassInfo, PY_OBJECT } from '../c-types';
import { type Node, field, fields, locationOf } from '../syntax';
import type { Scope, Symbol } from '../symbols';
import { typeSyntaxOf } from '../type-resolution';
import { parseDeclaratorText } from '../type-syntax';
import type { Collecting } from './collecting';

export function collectVariables(collector: Collecting, decl: Node, scope: Scope, binding: 'module' | 'local' | 'extern' | 'class',
  cls?: ClassInfo): Symbol[] {
  const typeNode = field(decl, 'type');
  const baseSyntax = typeNode ? typeSyntaxOf(typeNode.text) : undefined;
  const out: Symbol[] = [];
  const declarators = fields(decl, 'declarator');
  for (const d of declarators) {
    const parsed = parseDeclaratorText(d.text);
    if (!parsed.name) continue;
    let type: CType;
    if (parsed.functionPointer) {
      const sig = collector.signatures.functionPointerSignature(parsed.name, baseSyntax, parsed.functionPointer, binding === 'extern');
      type = { kind: 'ptr', base: { kind: 'func', sig } };
    } else if (baseSyntax) {
      type = collector.resolveTypeSyntax({
        ...baseSyntax, pointers: baseSyntax.pointers + parsed.pointers, arrays: baseSyntax.arrays + parsed.arrays,
        reference: baseSyntax.reference || parsed.reference,
      });
    } else {
      type = PY_OBJECT;
    }
    const sym: Symbol = {
      name: parsed.name, kind: type.kind === 'py' ? 'py-variable' : 'c-variable', type,
      binding: binding === 'extern' ? 'module' : binding, location: locationOf(collector.ctx.uri, d),
      ...(type.kind === 'py' && binding !== 'local' ? { cdefGlobal: true } : {}),
    };
    if (cls) cls.attributes.set(parsed.name, type);
    else scope.define(sym);
    out.push(sym);
  }
  return out;
}
