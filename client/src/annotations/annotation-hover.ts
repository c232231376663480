/**
 * Hovering a yellow line lists its score and reasons (from the last notification for the current version), then,
 * from the server's `cythonLens/whatIf` answer, which directive would lower the score and to what (with the quick
 * fix that sets it) and the directives in force on the line. On other lines the hover says only the directives in
 * force, when some are set.
 */
import * as vscode from 'vscode';
import type { DirectiveInForce, WhatIfOptionInfo, WhatIfResult } from '../../../shared/src/protocol';
import type { AnnotationStore } from './annotation-store';

/** Asks the server for the what-if of a line; undefined when it cannot answer (not running, too slow). */
export type WhatIfSource = (document: vscode.TextDocument, line: number, token: vscode.CancellationToken) =>
  Promise<WhatIfResult | undefined>;

export function annotationHoverProvider(store: AnnotationStore, enabled: () => boolean, whatIf?: WhatIfSource):
  vscode.HoverProvider {
  return {
    async provideHover(document, position, token) {
      if (!enabled()) return undefined;
      const a = store.lineFor(document, position.line);
      const yellow = a !== undefined && a.score > 0;
      // a white line: only the directives in force there, when any is set (nothing else to say about the line)
      const w = whatIf ? await whatIf(document, position.line, token).catch(() => undefined) : undefined;
      const md = new vscode.MarkdownString();
      if (!yellow) {
        if (!w || w.directives.length === 0) return undefined;
        md.appendMarkdown(directivesLine(w.directives));
        return new vscode.Hover(md, document.lineAt(position.line).range);
      }
      md.appendMarkdown(`**Python interaction on this line: score ${a.score}** (\`cython -a\` scale)\n\n`);
      for (const r of a.reasons) md.appendMarkdown(`- ${r.replace(/\n/g, ' ')}\n`);
      // the answer is for the text as it is now; the scores above are for the version they were computed for
      if (w && store.lineFor(document, position.line) === a) md.appendMarkdown(whatIfMarkdown(w));
      md.appendMarkdown('\n[Show generated C](command:cythonLens.showGeneratedC)');
      md.isTrusted = { enabledCommands: ['cythonLens.showGeneratedC'] };
      return new vscode.Hover(md, document.lineAt(position.line).range);
    },
  };
}

/** The what-if section (empty when there is nothing to say): one line per directive, then the directives in force. */
export function whatIfMarkdown(w: WhatIfResult): string {
  let out = '';
  const byDirective = new Map<string, WhatIfOptionInfo[]>();
  for (const o of w.options) byDirective.set(o.directive, [...(byDirective.get(o.directive) ?? []), o]);
  if (byDirective.size > 0) {
    out += '\n**What if** (the estimate re-run with the directive; quick fix on this line sets it):\n\n';
    for (const [name, options] of byDirective) {
      const o = options[0]!;
      const where = options.map((x) => (x.where === 'function' ? `on \`${w.functionName ?? 'the function'}\`` : 'for the file')).join(' or ');
      const total = w.functionName ? `, \`${w.functionName}\` ${o.totalBefore} → ${o.totalAfter}` : '';
      out += `- \`${name}=${o.value}\` ${where}: this line ${w.score} → ${o.lineScore}${total}. *Gives up:* ${o.givesUp}\n`;
    }
  }
  if (w.directives.length > 0) out += `\n${directivesLine(w.directives)}`;
  return out;
}

/** One line: the directives in force and where each was set. */
export function directivesLine(directives: readonly DirectiveInForce[]): string {
  return `Directives here: ${directives.map(inForce).join(', ')}\n`;
}

function inForce(d: DirectiveInForce): string {
  const where = d.source === 'build' ? 'build' : `${d.source} l.${d.line ?? '?'}`;
  return `\`${d.name}${d.value ? `=${d.value}` : ''}\` (${where})`;
}
