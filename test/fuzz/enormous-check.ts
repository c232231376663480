/**
 * One enormous or deeply nested input through an Engine: opened and analysed, edited in the middle, analysed again.
 * Returns the problems found (an internal error, a lost or rewritten text); an empty list is a pass.
 */
import { Engine, type EngineOptions } from '../../server/src/engine';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { analyses } from '../../server/src/checks';

export async function checkEnormous(name: string, text: string, options: Partial<EngineOptions> = {}): Promise<{ problems: string[]; ms: number }> {
  const logs: string[] = [];
  const problems: string[] = [];
  const started = Date.now();
  const engine = await Engine.create({ ...analyses, timeBudgetMs: 120_000, ...options, log: (m) => logs.push(m) });
  try {
    const uri = `file:///fuzz/enormous-${name.replace(/\W+/g, '-')}.pyx`;
    engine.open(uri, text, 1);
    const first = engine.analyze(uri, defaultSettings());
    if (!first || first.status.state === 'error') problems.push(`${name}: ${first?.status.message ?? 'no report'} ${logs.join(' | ').slice(0, 400)}`);
    const offset = Math.floor(text.length / 2);
    const mid = engine.document(uri)?.textDocument.positionAt(offset);
    if (!mid) return { problems: [...problems, `${name}: document lost`], ms: Date.now() - started };
    engine.change(uri, 2, [{ range: { start: mid, end: mid }, text: '(' }]);
    const second = engine.analyze(uri, defaultSettings());
    if (!second || second.status.state === 'error') problems.push(`${name} after an edit: ${second?.status.message ?? 'no report'}`);
    if (engine.document(uri)?.text !== `${text.slice(0, offset)}(${text.slice(offset)}`) problems.push(`${name}: the text was not kept exactly`);
  } finally {
    engine.dispose();
  }
  return { problems, ms: Date.now() - started };
}
