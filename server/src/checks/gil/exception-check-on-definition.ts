/**
 * Performance hint at a nogil function's definition whose exception check will need the GIL. The compiler gives it
 * where a module scope declares the function (Symtab.Scope.declare_cfunction); methods of cdef classes are declared
 * by CClassScope, which gives none. A def made a C function by `@cython.cfunc` / `@cython.ccall` (pure Python mode) is
 * declared the same way (its CFuncDefNode from DecoratorTransform), the hint at its first decorator.
 */
import { isPureModeCFunction } from '../../model/cython-names';
import { noexceptHintText } from './noexcept-hint-text';
import { definitionAnchor } from './expression-roles';
import type { GilRule } from './rule';

export const exceptionCheckOnDefinition: GilRule = {
  code: 'exception-check-definition',
  nodeTypes: ['c_function_definition', 'function_definition'],
  when: 'always',
  check(node, ctx) {
    if (node.type === 'function_definition' && !(node.parent && isPureModeCFunction(node.parent))) return;
    if (ctx.model.inPxd || ctx.cls) return;
    const own = ctx.model.ownSignatureOf(node, ctx.cls);
    const merged = ctx.model.signatureOf(node, ctx.cls);
    if (!own || !merged || !merged.nogil || own.exception.kind !== 'star') return;
    ctx.report(definitionAnchor(node), noexceptHintText({
      functionName: own.name, voidReturn: own.returnType.kind === 'void', isCall: false, isFromPxd: false,
    }), { data: { function: own.name } });
  },
};
