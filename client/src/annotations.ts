/** Renders `cythonLens/annotations` as `cython -a` style yellow line backgrounds (stronger = more Python). */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ANNOTATIONS_NOTIFICATION, SETTINGS_SECTION, type AnnotationsParams } from '../../shared/src/protocol';

const LEVELS = 5;
/** Same shape as Cython's annotate.py colour scale: score 0 white, higher scores more yellow. */
function levelOf(score: number): number {
  if (score <= 0) return 0;
  return Math.min(LEVELS, Math.ceil(Math.log2(score + 1)));
}

function makeDecorations(intensity: number): vscode.TextEditorDecorationType[] {
  return Array.from({ length: LEVELS }, (_, i) => {
    const alpha = Math.min(1, ((i + 1) / LEVELS) * 0.45 * intensity);
    return vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: `rgba(255, 255, 0, ${alpha.toFixed(3)})`,
      overviewRulerColor: `rgba(255, 200, 0, ${Math.min(1, alpha * 2).toFixed(3)})`,
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
  });
}

export function registerAnnotations(client: LanguageClient): vscode.Disposable {
  const latest = new Map<string, AnnotationsParams>();
  const intensity = (): number => vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>('annotations.intensity', 1);
  let decorations = makeDecorations(intensity());

  const render = (editor: vscode.TextEditor): void => {
    const params = latest.get(editor.document.uri.toString());
    const buckets: vscode.DecorationOptions[][] = decorations.map(() => []);
    for (const l of params?.lines ?? []) {
      const level = levelOf(l.score);
      if (level === 0 || l.line >= editor.document.lineCount) continue;
      const hover = new vscode.MarkdownString(`**Python interaction: ${l.score}**\n\n${l.reasons.map((r) => `- ${r}`).join('\n')}`);
      buckets[level - 1]?.push({ range: new vscode.Range(l.line, 0, l.line, 0), hoverMessage: hover });
    }
    decorations.forEach((d, i) => editor.setDecorations(d, buckets[i] ?? []));
  };
  const renderAll = (): void => vscode.window.visibleTextEditors.forEach(render);

  const subscriptions: vscode.Disposable[] = [
    client.onNotification(ANNOTATIONS_NOTIFICATION, (params: AnnotationsParams) => {
      latest.set(params.uri, params);
      vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === params.uri).forEach(render);
    }),
    vscode.window.onDidChangeVisibleTextEditors(renderAll),
    vscode.workspace.onDidCloseTextDocument((d) => latest.delete(d.uri.toString())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${SETTINGS_SECTION}.annotations.intensity`)) return;
      decorations.forEach((d) => d.dispose());
      decorations = makeDecorations(intensity());
      renderAll();
    }),
  ];
  return new vscode.Disposable(() => {
    subscriptions.forEach((s) => s.dispose());
    decorations.forEach((d) => d.dispose());
  });
}
