/**
 * Whether a cdef function's body can raise a Python exception: then declaring it `noexcept` would turn its errors
 * into printed-and-ignored "unraisable" exceptions, so no fix may offer that. Conservative: anything the model
 * cannot type counts as "can raise".
 */
import { calleeSignature } from '../model/expression-types';
import type { FunctionInfo } from '../model/function-scope';
import type { ModuleModel } from '../model/module-model';
import { type Node, field, namedChildren } from '../model/syntax';
import { isNameRead } from '../checks/gil/expression-roles';

/** Nodes whose subtree is not evaluated as part of the body. */
const SKIP = new Set(['c_type', 'memoryview_type', 'type', 'comment', 'decorator', 'c_function_declaration',
  'struct_definition', 'enum_definition', 'ctypedef_statement', 'fused_type_definition']);

/** Constructs that raise or run Python code whatever their operands. */
const ALWAYS_RAISE = new Set(['raise_statement', 'assert_statement', 'with_gil_statement', 'try_statement',
  'with_statement', 'function_definition', 'class_definition', 'lambda', 'list_comprehension', 'set_comprehension',
  'dictionary_comprehension', 'generator_expression', 'yield', 'await', 'print_statement', 'exec_statement',
  'import_statement', 'import_from_statement', 'global_statement', 'delete_statement', 'list', 'dictionary',
  'set']);

const DIVISION = /^(\/\/?|%)=?$/;

/** The `range(...)` / `prange(...)` iterated by a for loop. */
function isLoopRange(call: Node): boolean {
  const parent = call.parent;
  const fn = field(call, 'function')?.text ?? '';
  return parent?.type === 'for_statement' && field(parent, 'right')?.id === call.id
    && /^(range|prange|cython\.parallel\.prange)$/.test(fn);
}

export interface RaiseReason {
  node: Node;
  why: string;
}

/** Compiler directives that remove checks: from the file's `# cython:` header and the function's decorators. */
function directives(fn: Node, text: string): { boundscheck: boolean; cdivision: boolean } {
  const header = text.split('\n').slice(0, 10).filter((l) => /^#\s*cython\s*:/.test(l)).join(' ');
  const decorators = fn.parent?.type === 'decorated_definition'
    ? namedChildren(fn.parent).filter((c) => c.type === 'decorator').map((d) => d.text).join(' ') : '';
  const off = (name: string, value: 'False' | 'True'): boolean =>
    new RegExp(`${name}\\s*=\\s*${value}`).test(header) || new RegExp(`${name}\\s*\\(\\s*${value}\\s*\\)`).test(decorators);
  return { boundscheck: !off('boundscheck', 'False'), cdivision: off('cdivision', 'True') };
}

/** The first construct of the body that can raise, or undefined when none can. */
export function raisingConstruct(model: ModuleModel, info: FunctionInfo, fileText: string): RaiseReason | undefined {
  const fn = info.node;
  const body = field(fn, 'body');
  if (!body) return undefined;
  const { boundscheck, cdivision } = directives(fn, fileText);
  const typer = model.typer;
  const scope = info.scope;
  let reason: RaiseReason | undefined;
  const visit = (node: Node): void => {
    if (reason || SKIP.has(node.type)) return;
    const hit = (why: string): void => { reason = { node, why }; };
    if (ALWAYS_RAISE.has(node.type)) return hit(node.type.replace(/_/g, ' '));
    switch (node.type) {
      case 'call': {
        if (isLoopRange(node)) {
          // `for i in range(...)` with C bounds is a C loop: only its arguments are evaluated
          const args = field(node, 'arguments');
          for (const a of args ? namedChildren(args) : []) visit(a);
          return;
        }
        const r = typer.info(node, scope);
        const callee = r.callee ?? calleeSignature(typer.info(field(node, 'function') ?? node, scope).type);
        if (!callee) return hit('a call that is not a C function');
        if (callee.exception.kind !== 'noexcept') return hit(`a call of \`${callee.name}\`, which can raise`);
        break;
      }
      case 'identifier': {
        if (!isNameRead(node)) break;
        const t = typer.info(node, scope);
        if (t.type.kind === 'py' || (t.type.kind === 'unknown' && t.symbol?.kind !== 'c-function')) {
          return hit(`\`${node.text}\` is not a known C value`);
        }
        break;
      }
      case 'binary_operator': case 'augmented_assignment': {
        const op = node.childForFieldName('operator')?.text ?? '';
        const divisor = field(node, 'right');
        const literalDivisor = divisor !== null && (divisor.type === 'integer' || divisor.type === 'float')
          && Number(divisor.text.replace(/[_lLuU]/g, '')) !== 0;
        if (DIVISION.test(op) && !cdivision && !literalDivisor) {
          return hit('a division (ZeroDivisionError without cdivision)');
        }
        break;
      }
      case 'subscript': {
        const base = field(node, 'value');
        const t = base ? typer.info(base, scope).type : undefined;
        if (t?.kind === 'memview' && boundscheck) return hit('memoryview indexing (IndexError with boundscheck)');
        if (!t || (t.kind !== 'ptr' && t.kind !== 'array' && t.kind !== 'memview')) return hit('indexing of a non-C value');
        break;
      }
      case 'attribute': {
        if (typer.info(node, scope).type.kind === 'py') return hit('a Python attribute');
        break;
      }
      default:
        break;
    }
    if (typer.info(node, scope).type.kind === 'py' && node.type !== 'identifier') return hit('a Python object');
    for (const c of namedChildren(node)) visit(c);
  };
  namedChildren(body).forEach((c, i) => {
    const docstring = i === 0 && c.type === 'expression_statement' && namedChildren(c).length === 1
      && namedChildren(c)[0].type === 'string';
    if (!docstring) visit(c);
  });
  return reason;
}
