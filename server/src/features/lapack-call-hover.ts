/**
 * Hover on a BLAS/LAPACK routine at a call: what the call contract checks inferred for each argument (issue 16): the
 * value of each integer (`N = n = a.shape[0]`), and for each array the buffer behind it, its size and its order
 * (`a: double[:, ::1], C order: LAPACK reads it column by column, so sees its transpose`) beside the dimension LAPACK
 * documents for it. Arguments we know nothing about say so.
 */
import { BodyValues, callFacts } from '../checks/lapack-calls';
import { documentedSize } from '../checks/lapack-calls/call-facts';
import { render } from '../checks/lapack-calls/symbolic';
import type { LapackRoutine } from '../lapack/database';
import type { LapackDatabase } from '../lapack/database';
import { lookupRoutine } from '../lapack/symbols';
import { type Node, field, significantChildren } from '../model/syntax';

/** The call whose callee `id` is (`dgesv(...)`, `cython_lapack.dgesv(...)`). */
export function callOfCallee(id: Node): Node | undefined {
  let fn: Node = id;
  if (id.parent?.type === 'attribute' && field(id.parent, 'attribute')?.id === id.id) fn = id.parent;
  const call = fn.parent;
  return call?.type === 'call' && field(call, 'function')?.id === fn.id ? call : undefined;
}

function enclosingDefinition(node: Node): Node {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'c_function_definition' || !n.parent) return n;
  }
  return node;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;

/** The markdown section for a call of `routine`, or undefined when `id` is not the callee of a call. */
export function lapackCallSection(routines: LapackDatabase | undefined, routine: LapackRoutine, id: Node): string | undefined {
  const call = callOfCallee(id);
  const args = call ? field(call, 'arguments') : null;
  if (!call || !args || args.type !== 'argument_list') return undefined;
  const argNodes = significantChildren(args);
  if (argNodes.length !== routine.params.length || argNodes.some((a) => /keyword_argument|splat/.test(a.type))) return undefined;
  const values = new BodyValues(enclosingDefinition(call), (address) => {
    const outer = address.parent?.parent;
    const callee = outer?.type === 'call' ? field(outer, 'function') : null;
    const r = callee && routines ? lookupRoutine(routines, callee.text.split('.').pop() ?? '', routine.module) : undefined;
    const index = address.parent ? significantChildren(address.parent).findIndex((a) => a.startIndex === address.startIndex) : -1;
    return r?.params[index]?.intent === 'in';
  });
  const facts = callFacts(routine, call, argNodes, values);
  const general = (facts.contract.storage === 'ge' || facts.contract.storage === 'gg') && !facts.contract.transposes;
  const rows: string[] = [];
  for (const arg of facts.args) {
    const upper = arg.param.name.toUpperCase().replace(/_$/, '');
    const array = facts.contract.arrays.find((a) => a.index === arg.index);
    let inferred: string;
    if (array) {
      const b = arg.buffer;
      const needed = documentedSize(facts, array.dims);
      const parts: string[] = [];
      if (b) {
        parts.push(`${b.name}: ${b.origin}`);
        if (b.shape) parts.push(`shape (${b.shape.map(render).join(', ')})`);
        if (b.capacity) parts.push(`${render(b.capacity)} element(s)`);
        if (b.order === 'C' && b.shape?.length === 2) {
          parts.push(array.dims.length === 2 && general ? 'C order: LAPACK reads it column by column (sees its transpose)' : 'C order');
        } else if (b.order === 'F' && b.shape?.length === 2) {
          parts.push('Fortran order (column-major)');
        }
      } else {
        parts.push('buffer unknown');
      }
      inferred = parts.join(', ');
      rows.push(`| ${code(arg.node.text)} | ${upper} ${array.text}${needed ? ` = ${code(render(needed))}` : ''} | ${inferred} |`);
      continue;
    }
    if (arg.character !== undefined) inferred = `'${arg.character}'`;
    else if (arg.value !== undefined) inferred = code(render(arg.value) + (arg.value.kind === 'named' ? ` = ${render(arg.value.value)}` : ''));
    else inferred = 'unknown';
    rows.push(`| ${code(arg.node.text)} | ${upper} | ${inferred} |`);
  }
  return ['**At this call** (sizes and orders inferred by Cython Lens)', '', '| argument | LAPACK | inferred |',
    '|---|---|---|', ...rows].join('\n');
}
