/** A Python object converted to a C value ("unboxed") without the GIL. */
import type { Node } from 'web-tree-sitter';
import { isKnownC } from '../../model/c-types';
import { field, fields, namedChildren, significantChildren } from '../../model/syntax';
import { isPythonValue, isUnboxedPythonValue } from './expression-roles';
import type { GilRule } from './rule';

export const coercionFromPython: GilRule = {
  code: 'nogil-coercion-from-python',
  nodeTypes: ['assignment', 'call', 'cast_expression', 'return_statement', 'c_variable_declaration',
    'for_from_statement', 'for_statement'],
  when: 'nogil',
  check(node, ctx) {
    const unboxed: Node[] = [];
    // Memoryview targets are acquired from objects without an error from the compiler; char* borrows bytes.
    const cTarget = (t: import('../../model/c-types').CType): boolean => isKnownC(t) && t.kind !== 'func'
      && t.kind !== 'memview' && !(t.kind === 'ptr' && t.base.kind === 'scalar' && t.base.family === 'char');
    if (node.type === 'assignment') {
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (left && right && right.type !== 'assignment' && cTarget(ctx.info(left).type) && isUnboxedPythonValue(right, ctx.info(right), ctx.info)) {
        unboxed.push(right);
      }
    } else if (node.type === 'call') {
      const callee = ctx.info(node).callee;
      const args = field(node, 'arguments');
      if (callee && args) {
        namedChildren(args).filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument').forEach((a, i) => {
          const p = callee.params[i];
          if (p && cTarget(p.type) && isUnboxedPythonValue(a, ctx.info(a), ctx.info)) unboxed.push(a);
        });
      }
    } else if (node.type === 'cast_expression') {
      const value = field(node, 'value');
      const target = ctx.info(node).type;
      if (value && cTarget(target) && target.kind !== 'ptr' && isPythonValue(ctx.info(value))) unboxed.push(value);
    } else if (node.type === 'return_statement') {
      const value = significantChildren(node)[0];
      const ret = ctx.fn?.signature?.returnType;
      if (value && ret && cTarget(ret) && isUnboxedPythonValue(value, ctx.info(value), ctx.info, ret)) unboxed.push(value);
    } else if (node.type === 'for_from_statement') {
      // `for i from a <= i < b`: object bounds are unboxed to C (ForFromStatNode).
      for (const bound of [field(node, 'lower'), field(node, 'upper'), field(node, 'step')]) {
        if (bound && isPythonValue(ctx.info(bound))) unboxed.push(bound);
      }
    } else if (node.type === 'for_statement') {
      // A Python iteration into a C target unboxes each item (at the iterable); a C range loop over object
      // bounds unboxes the bounds (loop-iteration.ts).
      const plan = ctx.typer.loopPlan(node, ctx.scope);
      const right = field(node, 'right');
      if (plan.kind === 'python' && plan.cTarget && right) unboxed.push(right);
      if (plan.kind === 'c' && plan.pythonBounds) unboxed.push(...plan.pythonBounds);
    } else if (node.type === 'c_variable_declaration') {
      for (const d of fields(node, 'declarator')) {
        const value = field(d, 'value');
        const name = field(d, 'name');
        const sym = name ? ctx.scope.lookup(name.text) : undefined;
        if (value && sym && cTarget(sym.type) && isUnboxedPythonValue(value, ctx.info(value), ctx.info)) unboxed.push(value);
      }
    }
    for (const u of unboxed) ctx.report(u, 'Coercion from Python not allowed without the GIL');
  },
};
