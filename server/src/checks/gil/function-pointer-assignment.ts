/**
 * Assigning a C function to a function pointer whose exception specification or `nogil`-ness it does not satisfy
 * (PyrexTypes.CFuncType._is_exception_compatible_with, CPtrType.assignment_failure_extra_info), with the compiler's
 * own wording of both types.
 */
import type { Node } from 'web-tree-sitter';
import type { CType, ExceptionSpec, FunctionSignature } from '../../model/c-types';
import { calleeSignature } from '../../model/expression-types';
import { field, fields } from '../../model/syntax';
import { typeName } from '../../model/type-names';
import type { GilRule, RuleContext } from './rule';

export const functionPointerAssignment: GilRule = {
  code: 'function-pointer-assignment',
  nodeTypes: ['assignment', 'c_variable_declaration', 'call'],
  when: 'always',
  check(node, ctx) {
    if (node.type === 'call') {
      // `mystruct(&cb, ...)`: a struct literal assigns each argument to the field in the same position.
      const fn = field(node, 'function');
      const sym = fn?.type === 'identifier' ? ctx.scope.lookup(fn.text) : undefined;
      const args = field(node, 'arguments');
      if (sym?.kind !== 'c-type' || sym.type.kind !== 'struct' || !args) return;
      const fieldTypes = [...sym.type.info.fields.values()];
      args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment' && a.type !== 'keyword_argument')
        .forEach((a, i) => { if (fieldTypes[i]) checkPair(fieldTypes[i], a, ctx); });
      return;
    }
    if (node.type === 'assignment') {
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (left && right && left.type === 'identifier') checkPair(ctx.info(left).type, right, ctx);
      return;
    }
    for (const d of fields(node, 'declarator')) {
      const name = field(d, 'name');
      const value = field(d, 'value');
      const sym = name ? ctx.scope.lookup(name.text) : undefined;
      if (sym && value) checkPair(sym.type, value, ctx);
    }
  },
};

function checkPair(target: CType, value: Node, ctx: RuleContext): void {
  if (target.kind !== 'ptr' || target.base.kind !== 'func') return;
  const dst = target.base.sig;
  const info = ctx.info(value);
  const src = calleeSignature(info.type);
  if (!src || !sameParameters(src, dst)) return;
  const srcIsPointer = info.type.kind === 'ptr';
  const srcText = spell(src, srcIsPointer);
  const dstText = spell(dst, true);
  if (srcText === undefined || dstText === undefined) return;
  const nogilOk = !(dst.nogil && !src.nogil);
  const exceptionsOk = exceptionCompatible(src.exception, dst.exception);
  if (nogilOk && exceptionsOk) return;
  let message = `Cannot assign type '${srcText}' to '${dstText}'`;
  if (nogilOk && !exceptionsOk) {
    message += '. Exception values are incompatible.';
    const d = flags(dst.exception);
    if (!d.check && d.value === undefined) {
      const srcName = value.type === 'identifier' ? `'${value.text}'` : 'the value being assigned';
      message += ` Suggest adding 'noexcept' to the type of ${srcName}.`;
    }
  }
  ctx.report(value, message);
}

function flags(e: ExceptionSpec): { check: boolean | '+'; value: string | undefined } {
  switch (e.kind) {
    case 'noexcept': return { check: false, value: undefined };
    case 'value': return { check: false, value: e.value };
    case 'query': return { check: true, value: e.value };
    case 'star': return { check: true, value: undefined };
    case 'cpp': return { check: '+', value: undefined };
  }
}

/** Can a function with exception spec `src` be used where `dst` is expected? */
function exceptionCompatible(srcSpec: ExceptionSpec, dstSpec: ExceptionSpec): boolean {
  const src = flags(srcSpec);
  const dst = flags(dstSpec);
  if (src.check === '+' && dst.check !== '+') return false;
  if (!dst.check || dst.value !== undefined) {
    if (dst.check && !(src.check || src.value !== undefined)) return true;
    if (normalise(src.value) !== normalise(dst.value)) return false;
    if (src.check && src.check !== dst.check) return false;
  }
  return true;
}

function normalise(v: string | undefined): string | undefined {
  return v?.replace(/\s+/g, '');
}

function sameParameters(a: FunctionSignature, b: FunctionSignature): boolean {
  if (a.params.length !== b.params.length || a.varargs !== b.varargs) return false;
  return a.params.every((p, i) => {
    const x = typeName(p.type);
    const y = typeName(b.params[i].type);
    return x !== undefined && x === y;
  }) && typeName(a.returnType) !== undefined && typeName(a.returnType) === typeName(b.returnType);
}

function spell(sig: FunctionSignature, pointer: boolean): string | undefined {
  const ret = typeName(sig.returnType);
  const params = sig.params.map((p) => typeName(p.type));
  if (ret === undefined || params.some((p) => p === undefined)) return undefined;
  const e = sig.exception;
  const exc = e.kind === 'noexcept' ? 'noexcept' : e.kind === 'value' ? `except ${e.value}`
    : e.kind === 'query' ? `except? ${e.value}` : e.kind === 'star' ? 'except *' : 'except +';
  const args = params.length ? params.join(', ') : 'void';
  return `${ret} ${pointer ? '(*)' : ''}(${args}) ${exc}${sig.nogil ? ' nogil' : ''}`;
}
