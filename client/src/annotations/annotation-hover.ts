/** Hovering a yellow line lists its score and reasons (from the last notification for the current version). */
import * as vscode from 'vscode';
import type { AnnotationStore } from './annotation-store';

export function annotationHoverProvider(store: AnnotationStore, enabled: () => boolean): vscode.HoverProvider {
  return {
    provideHover(document, position) {
      if (!enabled()) return undefined;
      const a = store.lineFor(document, position.line);
      if (!a || a.score <= 0) return undefined;
      const md = new vscode.MarkdownString();
      md.appendMarkdown(`**Python interaction on this line: score ${a.score}** (\`cython -a\` scale)\n\n`);
      for (const r of a.reasons) md.appendMarkdown(`- ${r.replace(/\n/g, ' ')}\n`);
      md.appendMarkdown('\n[Show generated C](command:cythonLens.showGeneratedC)');
      md.isTrusted = { enabledCommands: ['cythonLens.showGeneratedC'] };
      return new vscode.Hover(md, document.lineAt(position.line).range);
    },
  };
}
