/**
 * The exception clause of a C property setter (`@prop.setter` on a `cdef inline` method of a cdef class), as
 * Symtab.PropertyScope.declare_cfunction checks it: a `void` setter must be `noexcept` (its exception check would
 * otherwise take the GIL after every assignment), an `int` one may only signal errors with -1.
 */
import { childOfType, childrenOfType, field, significantChildren } from '../../model/syntax';
import { parseExceptionSpec } from '../../model/signature-reader';
import type { Node } from 'web-tree-sitter';
import type { GilRule } from './rule';

function classMembersIn(extern: Node): Node[] {
  const body = field(extern, 'body') ?? childOfType(extern, 'block');
  const classes = body ? significantChildren(body).filter((c) => c.type === 'cdef_class_definition') : [];
  return classes.flatMap((c) => {
    const b = field(c, 'body');
    return b ? significantChildren(b) : [];
  });
}

export const VOID_SETTER_MESSAGE = "C property setter needs 'noexcept' if declared 'void'";
export const INT_SETTER_MESSAGE = "C property setter with 'int' return needs explicit 'except -1' or 'except? -1'";

export const cPropertySetterException: GilRule = {
  code: 'c-property-setter-exception',
  nodeTypes: ['decorated_definition', 'extern_block'],
  when: 'always',
  check(node, ctx) {
    // C properties live in extern cdef classes, whose blocks are not walked: they are looked at from here
    if (node.type === 'extern_block') {
      for (const d of classMembersIn(node)) if (d.type === 'decorated_definition') this.check(d, ctx);
      return;
    }
    const def = field(node, 'definition') ?? childOfType(node, 'c_function_definition');
    if (!def || def.type !== 'c_function_definition') return;
    if (!childrenOfType(node, 'decorator').some((d) => /^@\s*[A-Za-z_]\w*\s*\.\s*setter\s*$/.test(d.text))) return;
    const ret = field(def, 'return_type')?.text.replace(/\s+/g, ' ').trim();
    const noexcept = field(def, 'noexcept') ?? childOfType(def, 'noexcept');
    const spec = field(def, 'exception_spec') ?? childOfType(def, 'exception_spec');
    if (ret === 'void') {
      // without `noexcept`, Cython 3 gives a void function `except *`
      if (!noexcept) ctx.report(node, VOID_SETTER_MESSAGE);
    } else if (ret === 'int' && spec) {
      const e = parseExceptionSpec(spec.text);
      if ((e.kind === 'value' || e.kind === 'query') && Number(e.value) !== -1) ctx.report(node, INT_SETTER_MESSAGE);
    }
  },
};
