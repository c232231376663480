/**
 * `ignored-directive-comment` (ours: the compiler says nothing): a `# cython:` comment the compiler does not read
 * or a name in it that it skips. The compiler reads directive comments only before the first statement (a
 * docstring counts), only when they have the form `# cython: name=value` (Parsing.p_compiler_directive_comments),
 * and ignores names that are not directives (parse_directive_list with ignore_unknown=True).
 */
import { DIRECTIVE_TABLE } from '../../model/directive-table';
import { readHeaderComment } from './header-values';
import { closestName, type DirectiveFinding, type DirectiveRule } from './rule';

export const ignoredDirectiveCommentRule: DirectiveRule = {
  code: 'ignored-directive-comment',
  find(input) {
    const out: DirectiveFinding[] = [];
    const names = DIRECTIVE_TABLE.directives.filter((d) => d.inDefaults).map((d) => d.name);
    for (const c of input.comments) {
      if (!c.inHeader) {
        if (c.read) {
          out.push({ start: c.start, end: c.end, message: 'This directive comment comes after the first statement: '
            + 'the compiler reads `# cython:` comments only at the top of the file, before any code or docstring, and ignores it.' });
        }
        continue;
      }
      if (!c.read) {
        if (c.items.length > 0) {
          out.push({ start: c.start, end: c.end,
            message: 'Not read as directives: the compiler reads `# cython: name=value, ...` comments only.' });
        }
        continue;
      }
      for (const r of readHeaderComment(c)) {
        if (r.kind !== 'unknown') continue;
        const near = closestName(r.item.name ?? '', names);
        out.push({ start: r.item.nameStart, end: r.item.nameEnd,
          message: `Unknown directive '${r.item.name}': the compiler ignores it.${near ? ` Did you mean '${near}'?` : ''}` });
      }
    }
    return out;
  },
};
