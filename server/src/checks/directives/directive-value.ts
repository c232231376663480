/**
 * `directive-value`: a directive value the compiler rejects, in its words. In a `# cython:` comment
 * (Options.parse_directive_value): `boundscheck directive must be set to True or False, got 'Fals'`, a missing `=`.
 * In a decorator or with item (InterpretCompilerDirectives.try_to_parse_directive): `The boundscheck directive
 * takes one compile-time boolean argument` (integer, string; `one type argument`; `no prepositional arguments`),
 * and `The 'c_string_type' directive should be used as a function call.` for a bare name that needs a value.
 * Calls with keyword arguments (sub-directives such as `overflowcheck(fold=False)`) are left alone.
 */
import { type DirectiveInfo, directiveInfo } from '../../model/directive-table';
import type { DirectiveUse } from '../../model/directive-uses';
import type { Node } from '../../model/syntax';
import { someLineMatches } from '../../text/line-search';
import { headerValueError, readHeaderComment } from './header-values';
import type { DirectiveFinding, DirectiveRule } from './rule';

const isBool = (n: Node): boolean => n.type === 'true' || n.type === 'false';
const isString = (n: Node): boolean => n.type === 'string' && /^[uUrR]*['"]/.test(n.text);
const stringContent = (n: Node): string | undefined => /^[uU]?(['"])(.*)\1$/s.exec(n.text)?.[2];

/**
 * A name that may be a compile-time constant: `DEF N = 8` (in this file, or in an included one) is replaced by its
 * literal before directives are read, so `@cython.freelist(N)` is fine.
 */
export function compileTimeNames(text: string): (node: Node) => boolean {
  let includes: boolean | undefined; // read on the first identifier argument (most modules have none)
  return (node) => node.type === 'identifier'
    && ((includes ??= someLineMatches(text, 'include', /^[ \t]*include[ \t]/))
      || someLineMatches(text, 'DEF', new RegExp(`^[ \\t]*DEF[ \\t]+${node.text}\\b`)));
}

/** try_to_parse_directive's message for a decorator or with item, or undefined when it reads it (or may). */
export function callError(use: DirectiveUse, info: DirectiveInfo, isConstant: (n: Node) => boolean): string | undefined {
  const name = info.name;
  if (use.args.some(isConstant)) return undefined;
  if (!use.call) {
    if (['bool', 'flag', 'deferred'].includes(info.type)) return undefined;
    return `The '${name}' directive should be used as a function call.`;
  }
  const { args, keywords } = use;
  if (name === 'exceptval' || info.type === 'flag' || info.type === 'other' || info.type === 'list') return undefined;
  if (info.type === 'deferred') {
    // decorators @cython.nogil(...) / @cython.with_gil: one compile-time boolean (_extract_directives)
    if (use.kind !== 'decorator' || name !== 'nogil') return undefined;
    return keywords.length === 0 && args.length === 1 && isBool(args[0]!) ? undefined
      : `The ${name} directive takes one compile-time boolean argument`;
  }
  if (keywords.length > 0) return undefined;
  if (args.length === 1 && args[0]!.type === 'none') return undefined; // back to the default
  const one = args.length === 1 ? args[0]! : undefined;
  switch (info.type) {
    case 'bool':
      return one && isBool(one) ? undefined : `The ${name} directive takes one compile-time boolean argument`;
    case 'int':
      return one && one.type === 'integer' ? undefined : `The ${name} directive takes one compile-time integer argument`;
    case 'str':
      return one && isString(one) ? undefined : `The ${name} directive takes one compile-time string argument`;
    case 'type':
      return one ? undefined : `The ${name} directive takes one type argument`;
    case 'dict':
      return args.length === 0 ? undefined : `The ${name} directive takes no prepositional arguments`;
    case 'one_of':
    case 'encoding': {
      if (!one || !isString(one)) return `The ${name} directive takes one compile-time string argument`;
      const value = stringContent(one);
      // the compiler crashes with this ValueError (it does not catch it there)
      return info.type === 'one_of' && value !== undefined ? headerValueError(info, value) : undefined;
    }
    default:
      return undefined;
  }
}

export const directiveValueRule: DirectiveRule = {
  code: 'directive-value',
  find(input) {
    const out: DirectiveFinding[] = [];
    for (const comment of input.comments) {
      for (const r of readHeaderComment(comment)) {
        if (r.kind === 'error') out.push({ start: r.item.start, end: r.item.end, message: r.message });
      }
    }
    const isConstant = compileTimeNames(input.text);
    for (const use of input.uses) {
      const info = directiveInfo(use.name);
      const message = info ? callError(use, info, isConstant) : undefined;
      const at = use.call ?? use.attribute;
      if (message) out.push({ start: at.startIndex, end: at.endIndex, message });
    }
    return out;
  },
};
