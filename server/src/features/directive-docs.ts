/**
 * A compiler directive's documentation in Markdown (hover and completion): its values, default and scopes from the
 * pinned Cython's tables, the user guide's paragraph where it has one, and how to set it.
 */
import {
  DIRECTIVE_TABLE, type DirectiveInfo, directiveValues, pythonDefault, settableAsDecorator, settableInHeader,
  settableInWith,
} from '../model/directive-table';

const TYPE_WORDS: Record<DirectiveInfo['type'], string> = {
  bool: '`True` / `False`',
  int: 'an integer',
  str: 'a string',
  one_of: 'one of',
  encoding: 'a C string encoding (`ascii`, `utf8`, `default`, or another codec name)',
  type: 'a C type',
  dict: 'keyword arguments (name=type)',
  list: 'a list of strings',
  flag: 'no value (a decorator or `with` item on its own)',
  deferred: 'arguments analysed where it is used',
  other: 'no value the compiler can read (use a sub-directive)',
};

/** The value kind in words (`` `True` / `False` ``, `` one of `'c'`, `'clinic'` ``). */
export function directiveTypeWords(info: DirectiveInfo): string {
  if (info.type === 'one_of') return `one of ${(info.values ?? []).map((v) => `\`${v}\``).join(', ')}`;
  if (info.name === 'language_level') return '`2`, `3` or `3str`';
  if (info.name === 'infer_types') return '`True` / `False` (`None`, the default, is the safe inference)';
  return TYPE_WORDS[info.type];
}

/** The scopes in words. */
export function directiveScopeWords(info: DirectiveInfo): string {
  if (info.scopes === null) return 'anywhere (file, function, class, `with` block)';
  const words = info.scopes.map((s) => (s === 'module' ? 'the whole file' : s === 'cclass' ? 'cdef class'
    : s === 'cppclass' ? 'cppclass' : s === 'with statement' ? '`with` block' : s));
  return `${words.join(', ')} only`;
}

/** reStructuredText of the user guide, lightly: literals, roles, links, version notes. */
function rstToMarkdown(text: string): string {
  return text
    .replace(/``([^`]+)``/g, '`$1`')
    .replace(/:[a-z]+:`~?([^`<]+?)(?:\s*<[^>]+>)?`/g, '`$1`')
    .replace(/`([^`<]+?)\s*<([^>]+)>`_+/g, '[$1]($2)')
    .replace(/^\.\. version(added|changed)::\s*(\S+)\s*\n((?:[ \t]+\S.*(?:\n|$))*)/gm,
      (_m, kind: string, v: string, body: string) =>
        `*${kind === 'added' ? 'New' : 'Changed'} in Cython ${v}:* ${body.replace(/\s+/g, ' ').trim()}\n`)
    .replace(/^\s*\.\. csv-table::.*$(\n\s+:[a-z-]+:.*$)*/gm, '*(a table in the Cython user guide)*')
    .replace(/^\s*\.\. [a-z-]+::.*$(\n\s+:[a-z-]+:.*$)*/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** How to write it, with a value other than the default where there is one. */
function examples(info: DirectiveInfo): string[] {
  const header = directiveValues(info, 'header');
  const call = directiveValues(info, 'call');
  const def = pythonDefault(info);
  const pick = (vs: string[]): string | undefined => vs.find((v) => v !== def && v.replace(/'/g, '') !== def.replace(/'/g, '')) ?? vs[0];
  const out: string[] = [];
  const h = pick(header);
  if (settableInHeader(info) && h !== undefined) out.push(`\`# cython: ${info.name}=${h}\``);
  const c = info.type === 'flag' ? '' : pick(call);
  if (c !== undefined) {
    const written = info.type === 'flag' ? `cython.${info.name}` : `cython.${info.name}(${c})`;
    if (settableAsDecorator(info)) out.push(`\`@${written}\``);
    if (settableInWith(info)) out.push(`\`with ${written}:\``);
  }
  return out;
}

export function directiveMarkdown(info: DirectiveInfo): string {
  const lines = [`**${info.name}** — compiler directive (Cython ${DIRECTIVE_TABLE.cython})`];
  const facts = [`Value: ${directiveTypeWords(info)}`];
  if (info.inDefaults) facts.push(`default \`${pythonDefault(info)}\``);
  facts.push(`where: ${directiveScopeWords(info)}`);
  if (info.immediate) facts.push('as a decorator it applies to the decorated object only');
  lines.push(facts.join(' · '));
  lines.push(info.doc ? rstToMarkdown(info.doc.text) : '*Not described in the Cython user guide.*');
  const ex = examples(info);
  if (ex.length) lines.push(`Set it: ${ex.join(' · ')}`);
  return lines.join('\n\n');
}
