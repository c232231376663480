/** Runs the static annotator on a source text through the Engine, as the server and the CLI do. */
import { pathToFileURL } from 'node:url';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LineAnnotation } from '../../shared/src/protocol';
import { Engine } from '../../server/src/engine/engine';
import { createStaticAnnotator } from '../../server/src/annotations/static-annotator';
import type { Directives } from '../../server/src/annotations/directives';
import { defaultSettings } from '../../server/src/settings/validate-settings';

let counter = 0;

export async function estimate(source: string, directives: Partial<Directives> = {}): Promise<LineAnnotation[]> {
  const engine = await Engine.create({ checks: [], annotators: [createStaticAnnotator({ directives })], log: () => {}, timeBudgetMs: 60_000 });
  try {
    const uri = pathToFileURL(path.join(os.tmpdir(), `cl-annot-${process.pid}-${counter++}.pyx`)).href;
    engine.open(uri, source, 1);
    const report = engine.analyze(uri, defaultSettings());
    if (!report) throw new Error('document not open');
    return report.annotations;
  } finally {
    engine.dispose();
  }
}

/** Score of a 1-based line (0 when not annotated). */
export function scoreAt(lines: LineAnnotation[], line1: number): number {
  return lines.find((l) => l.line === line1 - 1)?.score ?? 0;
}

export function reasonsAt(lines: LineAnnotation[], line1: number): string[] {
  return lines.find((l) => l.line === line1 - 1)?.reasons ?? [];
}
