/**
 * A fixed set of decoration types, one per score bucket (never one per line), for the current theme and intensity:
 * whole-line yellow backgrounds plus overview-ruler marks. Recreated only when the theme or the intensity changes.
 */
import * as vscode from 'vscode';
import type { LineAnnotation } from '../../../shared/src/protocol';
import { BUCKETS, type ThemeKind, bucketAlpha, bucketOf, rgba } from './score-buckets';

function themeKind(): ThemeKind {
  switch (vscode.window.activeColorTheme.kind) {
    case vscode.ColorThemeKind.Dark: return 'dark';
    case vscode.ColorThemeKind.HighContrast: return 'high-contrast';
    default: return 'light';
  }
}

export class AnnotationDecorations implements vscode.Disposable {
  private types: vscode.TextEditorDecorationType[] = [];
  private key = '';

  constructor(private readonly intensity: () => number) {
    this.refresh();
  }

  /** (Re)creates the decoration types if the theme or intensity changed; true when they were recreated. */
  refresh(): boolean {
    const theme = themeKind();
    const intensity = this.intensity();
    const key = `${theme}:${intensity}`;
    if (key === this.key) return false;
    this.dispose();
    this.key = key;
    this.types = BUCKETS.map((_, i) => {
      const alpha = bucketAlpha(i, theme, intensity);
      return vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: rgba(alpha),
        overviewRulerColor: rgba(Math.min(1, alpha * 1.6 + 0.15)),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
      });
    });
    return true;
  }

  render(editor: vscode.TextEditor, lines: readonly LineAnnotation[], enabled: boolean): void {
    const ranges: vscode.Range[][] = this.types.map(() => []);
    if (enabled && this.intensity() > 0) {
      for (const l of lines) {
        const b = bucketOf(l.score);
        if (b < 0 || l.line >= editor.document.lineCount) continue;
        ranges[b]!.push(new vscode.Range(l.line, 0, l.line, 0));
      }
    }
    this.types.forEach((t, i) => editor.setDecorations(t, ranges[i] ?? []));
  }

  dispose(): void {
    for (const t of this.types) t.dispose();
    this.types = [];
    this.key = '';
  }
}
