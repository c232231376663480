/**
 * The directives in force at a position and where each was set: the build (`cythonLens.directives`, like
 * `cython -X`), the file's `# cython:` comments, the `@cython.<directive>` decorators of the enclosing definitions
 * (outermost first; decorators that apply to the decorated object only, such as `cfunc` or `locals`, are not in force
 * in its body) and the enclosing `with cython.<directive>(...)` blocks. An inner setting overrides an outer one.
 * Only directives the compiler accepts there are listed (what it rejects, the directive check reports).
 */
import type { Tree } from 'web-tree-sitter';
import type { DirectiveInForce } from '../../../shared/src/protocol';
import { directiveComments } from '../model/directive-comments';
import { allowedInScope, directiveInfo, settableInHeader } from '../model/directive-table';
import { directiveUses } from '../model/directive-uses';
import { field } from '../model/syntax';
import type { FeatureDeps } from './feature';

/** The build's directives (`cythonLens.directives`); none when the settings cannot be read. */
export async function buildDirectives(deps: FeatureDeps, uri: string): Promise<Readonly<Record<string, string>>> {
  try {
    return (await deps.settings(uri)).directives;
  } catch {
    return {};
  }
}

const lineOf = (text: string, offset: number): number => {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

export function directivesInForce(text: string, tree: Tree, offset: number, build: Readonly<Record<string, string>>):
  DirectiveInForce[] {
  const byName = new Map<string, DirectiveInForce>();
  const set = (d: DirectiveInForce): void => {
    byName.delete(d.name); // keep the order of the innermost setting
    byName.set(d.name, d);
  };
  for (const [name, value] of Object.entries(build)) {
    const info = directiveInfo(name);
    if (info && settableInHeader(info)) set({ name, value, source: 'build' });
  }
  for (const c of directiveComments(text)) {
    if (!c.read) continue;
    for (const item of c.items) {
      if (item.name === undefined || item.value === undefined) break;
      const info = directiveInfo(item.name);
      if (info && settableInHeader(info)) set({ name: item.name, value: item.value, source: 'header', line: c.line + 1 });
    }
  }
  const uses = directiveUses(text, tree)
    .filter((u) => {
      const info = directiveInfo(u.name);
      if (!info || !allowedInScope(info, u.scope)) return false;
      if (u.kind === 'with') {
        const body = field(u.owner, 'body');
        return body !== null && body.startIndex <= offset && offset <= body.endIndex;
      }
      // a decorator is in force in its definition (not on the decorator lines themselves)
      const def = field(u.owner, 'definition') ?? u.owner;
      if (!(def.startIndex <= offset && offset <= u.owner.endIndex)) return false;
      const body = field(def, 'body');
      return !(info.immediate && body && offset >= body.startIndex);
    })
    .sort((a, b) => a.owner.startIndex - b.owner.startIndex || a.attribute.startIndex - b.attribute.startIndex);
  for (const u of uses) {
    const info = directiveInfo(u.name)!;
    const arg = u.args[0];
    const value = arg ? arg.text : info.type === 'bool' ? 'True' : '';
    set({ name: u.name, value, source: u.kind === 'with' ? 'with' : 'decorator', line: lineOf(text, u.attribute.startIndex) });
  }
  return [...byName.values()];
}

const SOURCE_WORDS: Record<DirectiveInForce['source'], string> = {
  build: 'build settings', header: '# cython: comment', decorator: 'decorator', with: 'with block',
};

/** `boundscheck=False` (# cython: comment, line 1). */
export function describeDirectiveInForce(d: DirectiveInForce): string {
  const where = d.line !== undefined ? `${SOURCE_WORDS[d.source]}, line ${d.line}` : SOURCE_WORDS[d.source];
  return `\`${d.value === '' ? d.name : `${d.name}=${d.value}`}\` (${where})`;
}
