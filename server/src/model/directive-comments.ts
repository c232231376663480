/**
 * `# cython: name=value, ...` comments as the compiler reads them (Parsing.p_compiler_directive_comments,
 * Options.parse_directive_list): only the comment lines before the first statement of a module are read; a line
 * is read only if it matches `^#\s*cython\s*:\s*((\w|[.])+\s*=.*)$`; its items are split at commas and each is
 * `name=value` (whitespace stripped). Comments further down are ordinary comments (the compiler says nothing).
 * Text only: the features and the directive check share it.
 */

/** One `name=value` item of a directive comment, with offsets into the document. */
export interface DirectiveCommentItem {
  /** The item as written, stripped (`boundscheck=False`). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Undefined when the item has no `=`. */
  readonly name?: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly value?: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

export interface DirectiveComment {
  /** Offsets of the comment (from `#` to the end of the line, without the line break). */
  readonly start: number;
  readonly end: number;
  /** 0-based line. */
  readonly line: number;
  /** Before the first statement of the module: the compiler reads it (if `read`). */
  readonly inHeader: boolean;
  /** The compiler's pattern matches (a `name=` after the colon); otherwise it is an ordinary comment. */
  readonly read: boolean;
  /** Offset just after `cython:`. */
  readonly bodyStart: number;
  readonly items: readonly DirectiveCommentItem[];
}

const DIRECTIVE_LINE = /^([ \t]*)(#\s*cython\s*:)/;
const COMPILER_PATTERN = /^#\s*cython\s*:\s*((\w|[.])+\s*=.*)$/;

/** The items of the text after `cython:` (`body` starts at offset `base`). */
export function directiveCommentItems(body: string, base: number): DirectiveCommentItem[] {
  const items: DirectiveCommentItem[] = [];
  let pos = 0;
  for (const raw of body.split(',')) {
    const rawStart = base + pos;
    pos += raw.length + 1;
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text === '') continue;
    const start = rawStart + lead;
    const end = start + text.length;
    const eq = text.indexOf('=');
    if (eq < 0) {
      items.push({ text, start, end, nameStart: start, nameEnd: end, valueStart: end, valueEnd: end });
      continue;
    }
    const left = text.slice(0, eq);
    const name = left.trim();
    const right = text.slice(eq + 1);
    const value = right.trim();
    const valueStart = start + eq + 1 + (right.length - right.trimStart().length);
    items.push({
      text, start, end, name, nameStart: start, nameEnd: start + name.length,
      value, valueStart, valueEnd: valueStart + value.length,
    });
  }
  return items;
}

/**
 * Every `# cython:` comment line of `source`. `isComment(offset)` says whether the `#` at an offset past the header
 * starts a real comment (not a line of a string); without it, lines past the header are not listed.
 */
export function directiveComments(source: string, isComment?: (offset: number) => boolean): DirectiveComment[] {
  const out: DirectiveComment[] = [];
  const read = (lineStart: number, end: number, lineOf: () => number, inHeader: boolean): void => {
    let text = source.slice(lineStart, end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const m = DIRECTIVE_LINE.exec(text);
    if (!m) return;
    const hash = lineStart + m[1]!.length;
    if (inHeader || isComment!(hash)) {
      const comment = text.slice(m[1]!.length);
      const bodyStart = hash + m[2]!.length;
      out.push({
        start: hash, end: lineStart + text.length, line: lineOf(), inHeader, read: COMPILER_PATTERN.test(comment), bodyStart,
        items: directiveCommentItems(text.slice(bodyStart - lineStart), bodyStart),
      });
    }
  };
  let line = 0;
  let start = 0;
  // the header, line by line
  for (; start <= source.length; line++) {
    const nl = source.indexOf('\n', start);
    const end = nl === -1 ? source.length : nl;
    const trimmed = source.slice(start, end).trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) break;
    const at = line;
    read(start, end, () => at, true);
    if (nl === -1) return out;
    start = end + 1;
  }
  if (!isComment || start > source.length) return out;
  // past the header only lines with the word `cython` can match (found with indexOf, not line by line: this runs
  // on every keystroke)
  // on every keystroke); lines are counted only up to a line that holds a directive comment (rare past the header)
  let counted = start;
  const lineAt = (lineStart: number): number => {
    for (let i = source.indexOf('\n', counted); i !== -1 && i < lineStart; i = source.indexOf('\n', i + 1)) line++;
    counted = lineStart;
    return line;
  };
  for (let at = source.indexOf('cython', start); at !== -1; at = source.indexOf('cython', start)) {
    const lineStart = source.lastIndexOf('\n', at - 1) + 1;
    const nl = source.indexOf('\n', at);
    const end = nl === -1 ? source.length : nl;
    read(lineStart, end, () => lineAt(lineStart), false);
    if (nl === -1) break;
    start = end + 1;
  }
  return out;
}
