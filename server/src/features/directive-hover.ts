/**
 * Hover on a compiler directive: a name in a `# cython:` comment, or `cython.<directive>` in code (a decorator, a
 * with item, or anywhere else it is spelled so): the directive's documentation (directive-docs.ts).
 */
import type { Tree } from 'web-tree-sitter';
import { directiveCommentItems } from '../model/directive-comments';
import { directiveInfo } from '../model/directive-table';
import { type Node, field } from '../model/syntax';
import { directiveMarkdown } from './directive-docs';

export interface DirectiveHover {
  readonly markdown: string;
  readonly start: number;
  readonly end: number;
}

const HEADER = /^([ \t]*#\s*cython\s*:)/;

export function directiveHoverAt(text: string, tree: Tree, offset: number): DirectiveHover | undefined {
  return commentHover(text, offset) ?? codeHover(tree, offset);
}

function commentHover(text: string, offset: number): DirectiveHover | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const line = text.slice(lineStart, nl === -1 ? text.length : nl);
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const bodyStart = lineStart + m[1]!.length;
  for (const item of directiveCommentItems(text.slice(bodyStart, lineStart + line.length), bodyStart)) {
    const name = item.name ?? item.text;
    if (offset < item.nameStart || offset > item.nameStart + name.length) continue;
    const info = directiveInfo(name);
    return info ? { markdown: directiveMarkdown(info), start: item.nameStart, end: item.nameStart + name.length } : undefined;
  }
  return undefined;
}

function codeHover(tree: Tree, offset: number): DirectiveHover | undefined {
  let id: Node | undefined;
  for (const at of [offset, offset - 1]) {
    const n = at >= 0 ? tree.rootNode.descendantForIndex(at, at) : null;
    if (n?.type === 'identifier') { id = n as Node; break; }
  }
  if (!id) return undefined;
  // the outermost attribute `cython.a.b` this identifier is part of
  let attr: Node | undefined;
  for (let n: Node | null = id.parent; n?.type === 'attribute'; n = n.parent) attr = n;
  if (!attr) return undefined;
  let root: Node | null = attr;
  while (root?.type === 'attribute') root = field(root, 'object');
  if (root?.type !== 'identifier' || root.text !== 'cython' || root.id === id.id) return undefined;
  const name = attr.text.replace(/\s+/g, '').replace(/^cython\./, '');
  const info = directiveInfo(name);
  return info ? { markdown: directiveMarkdown(info), start: attr.startIndex, end: attr.endIndex } : undefined;
}
