/**
 * How the compiler reads the items of a `# cython:` comment (Options.parse_directive_list with ignore_unknown=True,
 * then parse_directive_value): per item, the value error it raises (which ends the reading of that line), or the
 * directive it sets, or that it ignores the name. Shared by the value, scope and ignored-comment rules.
 */
import type { DirectiveComment, DirectiveCommentItem } from '../../model/directive-comments';
import { type DirectiveInfo, directiveInfo } from '../../model/directive-table';

export type HeaderItemReading =
  | { kind: 'error'; item: DirectiveCommentItem; message: string }
  | { kind: 'set'; item: DirectiveCommentItem; info: DirectiveInfo }
  | { kind: 'unknown'; item: DirectiveCommentItem }
  /** `warn.all=...`, list-valued names, values read by no reader we model: the compiler takes them as they are. */
  | { kind: 'other'; item: DirectiveCommentItem };

/** parse_directive_value's message for a bad value, or undefined when it accepts it (or we do not know). */
export function headerValueError(info: DirectiveInfo, value: string): string | undefined {
  switch (info.type) {
    case 'bool':
      return value === 'True' || value === 'False' ? undefined
        : `${info.name} directive must be set to True or False, got '${value}'`;
    case 'int':
      return /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value) ? undefined
        : `${info.name} directive must be set to an integer, got '${value}'`;
    case 'one_of':
      return (info.values ?? []).includes(value) ? undefined
        : `${info.name} directive must be one of ${info.message_values}, got '${value}'`;
    default:
      return undefined;
  }
}

/** The items of one comment the compiler reads, up to and including the first error (which ends the line). */
export function readHeaderComment(comment: DirectiveComment): HeaderItemReading[] {
  const out: HeaderItemReading[] = [];
  if (!comment.read || !comment.inHeader) return out;
  for (const item of comment.items) {
    if (item.name === undefined || item.value === undefined) {
      out.push({ kind: 'error', item, message: `Expected "=" in option "${item.text}"` });
      break;
    }
    const info = directiveInfo(item.name);
    if (!info || !info.inDefaults) {
      out.push(item.name.endsWith('.all') ? { kind: 'other', item } : { kind: 'unknown', item });
      continue;
    }
    if (info.type === 'list') { out.push({ kind: 'other', item }); continue; }
    if (info.type === 'deferred' || info.type === 'other') { out.push({ kind: 'other', item }); break; } // the compiler crashes
    const message = headerValueError(info, item.value);
    if (message) {
      out.push({ kind: 'error', item, message });
      break;
    }
    out.push({ kind: 'set', item, info });
  }
  return out;
}
