/**
 * `unknown-directive`: `@cython.<name>` or `with cython.<name>` where the name is no directive and nothing else the
 * cython module has. Bare (`@cython.bounscheck`), the compiler takes it for a directive without value and says
 * `Invalid directive: 'bounscheck'.` (check_directive_scope); called (`@cython.cdivisio(True)`), it says
 * `'cdivisio' not a valid cython language construct` and `... not a valid cython attribute or is being used
 * incorrectly`. Names of types, `cython.address`, `cython.view`... (the table's other cython names) are left alone.
 */
import { DIRECTIVE_TABLE, directiveInfo, isOtherCythonName } from '../../model/directive-table';
import { anchoredRange } from '../../model/directive-uses';
import { closestName, type DirectiveFinding, type DirectiveRule } from './rule';

export const unknownDirectiveRule: DirectiveRule = {
  code: 'unknown-directive',
  find(input) {
    const out: DirectiveFinding[] = [];
    const names = DIRECTIVE_TABLE.directives.map((d) => d.name);
    for (const use of input.uses) {
      if (directiveInfo(use.name)) continue;
      const near = closestName(use.name, names);
      const hint = near ? `\nDid you mean '${near}'?` : '';
      const { startIndex: start, endIndex: end } = use.attribute;
      if (!use.call) {
        // reported where scope errors are (check_directive_scope at the definition's position)
        out.push({ ...anchoredRange(use), message: `Invalid directive: '${use.name}'.${hint}` });
      } else if (!isOtherCythonName(use.name)) {
        out.push({ start, end, message: `'${use.name}' not a valid cython language construct${hint}` });
        out.push({ start, end, message: `'${use.name}' not a valid cython attribute or is being used incorrectly${hint}` });
      }
    }
    return out;
  },
};
