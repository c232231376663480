/**
 * `directive-scope`: a directive where the compiler's scope table (Options.directive_scopes) does not allow it:
 * `The freelist compiler directive is not allowed in function scope` (check_directive_scope), for decorators of
 * functions, classes and cdef classes, with items, and `# cython:` comments (module scope; the compiler reports it
 * and then stops with an internal error). A class decorated with `@cython.cclass` is checked as either kind.
 */
import { allowedInScope, directiveInfo } from '../../model/directive-table';
import { anchoredRange } from '../../model/directive-uses';
import { readHeaderComment } from './header-values';
import { callError, compileTimeNames } from './directive-value';
import type { DirectiveFinding, DirectiveRule } from './rule';

export const directiveScopeRule: DirectiveRule = {
  code: 'directive-scope',
  find(input) {
    const out: DirectiveFinding[] = [];
    for (const comment of input.comments) {
      for (const r of readHeaderComment(comment)) {
        if (r.kind === 'set' && !allowedInScope(r.info, 'module')) {
          out.push({ start: r.item.start, end: r.item.end,
            message: `The ${r.info.name} compiler directive is not allowed in module scope` });
        }
      }
    }
    const isConstant = compileTimeNames(input.text);
    for (const use of input.uses) {
      const info = directiveInfo(use.name);
      if (!info || info.type === 'other') continue;
      // with nogil/gil/critical_section become their own statements before any scope check
      if (use.kind === 'with' && ['nogil', 'gil', 'critical_section'].includes(info.name)) continue;
      // a call of a directive without value is no directive (try_to_parse_directives): other messages follow
      if (use.call && info.type === 'flag') continue;
      // the value is read first: an error there stops the compiler before the scope check
      if (callError(use, info, isConstant)) continue;
      if (allowedInScope(info, use.scope) || (use.maybeCclass && allowedInScope(info, 'cclass'))) continue;
      // from where the compiler reports it (the definition's position) to the directive
      out.push({ ...anchoredRange(use),
        message: `The ${info.name} compiler directive is not allowed in ${use.scope} scope` });
    }
    return out;
  },
};
