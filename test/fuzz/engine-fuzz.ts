/**
 * Engine-level fuzzing: random edit sequences on real files through Engine.change/analyze (what the server runs on
 * every didChange), checking after each batch that
 *  - nothing throws and no check reports an internal error (a crash),
 *  - the analysis finishes within a bound (else: a hang),
 *  - the text equals the reference text (the user's text is never lost or rewritten),
 *  - the tree, once settled as the server settles it when typing pauses, equals a fresh parse (where the store
 *    promises it: below FRESH_REPARSE_LIMIT, or when the result has no syntax error),
 *  - diagnostics and line scores, once settled, equal those of a freshly opened document with the same text
 *    (how often settling changed them is counted: what a user sees during the pause before it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Parser } from 'web-tree-sitter';
import { Engine, type AnalysisReport } from '../../server/src/engine';
import { FRESH_REPARSE_LIMIT } from '../../server/src/text/document-store';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { createParser } from '../../server/src/tree/language';
import { Random } from '../support/random';
import { dumpWithPositions } from '../support/tree-dump';
import { EditGenerator, mutate } from './random-edits';
import { analyses } from '../../server/src/checks';

export interface FuzzFile {
  name: string;
  text: string;
}

export interface FuzzOptions {
  seed: number;
  files: readonly FuzzFile[];
  /** Edit batches per file. */
  steps: number;
  /** Compare with a fresh parse / a freshly opened document every N steps (1 = always). */
  compareEvery: number;
  /** An analysis slower than this counts as a hang. */
  boundMs: number;
  /** Also fuzz a mutated copy of each file. */
  mutants?: boolean;
  log?: (line: string) => void;
  /** Write each disagreement's text, previous text, edits and both reports here (to reproduce it). */
  dumpDir?: string;
}

export interface FuzzStats {
  iterations: number;
  edits: number;
  comparisons: number;
  /** Comparisons where the tree was an unsettled incremental re-parse with errors, parsed again from scratch first. */
  settled: number;
  /** ...and where that changed the diagnostics or scores (what a user sees for the pause before settling). */
  settledChanged: number;
  crashes: number;
  hangs: number;
  disagreements: number;
  slowestMs: number;
  /** One line per problem, with seed, file and step to reproduce it. */
  problems: string[];
}

/** Diagnostics + scores with the document URI factored out (the two documents live at different URIs). */
function comparable(report: AnalysisReport | undefined, uri: string): string {
  if (!report) return 'no report';
  const { diagnostics, annotations, status } = report;
  return JSON.stringify({ diagnostics, annotations, status: status.state }).split(uri).join('<uri>');
}

export async function fuzzEngine(options: FuzzOptions): Promise<FuzzStats> {
  const stats: FuzzStats = { iterations: 0, edits: 0, comparisons: 0, settled: 0, settledChanged: 0, crashes: 0, hangs: 0, disagreements: 0, slowestMs: 0, problems: [] };
  const logged: string[] = [];
  const log = (m: string): void => {
    logged.push(m);
  };
  const engine = await Engine.create({ ...analyses, log, timeBudgetMs: 60_000 });
  const freshEngine = await Engine.create({ ...analyses, log, timeBudgetMs: 60_000 });
  const parser: Parser = await createParser();
  const settings = defaultSettings();
  const rnd = new Random(options.seed);
  const inputs: FuzzFile[] = [...options.files];
  if (options.mutants) for (const f of options.files) inputs.push({ name: `mutant-${f.name}`, text: mutate(rnd, f.text) });
  const problem = (kind: 'crash' | 'hang' | 'disagreement', where: string, detail: string): void => {
    if (kind === 'crash') stats.crashes++;
    else if (kind === 'hang') stats.hangs++;
    else stats.disagreements++;
    const line = `${kind} (seed ${options.seed}, ${where}): ${detail.slice(0, 400)}`;
    stats.problems.push(line);
    options.log?.(line);
  };
  try {
    for (const [index, file] of inputs.entries()) {
      const uri = `file:///fuzz/live/${index}/${file.name}`;
      const freshUri = `file:///fuzz/fresh/${index}/${file.name}`;
      const gen = new EditGenerator(new Random(options.seed * 7919 + index));
      let text = file.text;
      engine.open(uri, text, 1);
      for (let step = 0; step < options.steps; step++) {
        const where = `${file.name} step ${step}`;
        const before = TextDocument.create(uri, 'cython', 0, text);
        const batch = gen.next(text);
        // LSP positions of each edit, computed on the text it applies to
        const changes = [];
        let t = text;
        for (const e of batch.edits) {
          const doc = t === text ? before : TextDocument.create(uri, 'cython', 0, t);
          changes.push({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, text: e.text });
          t = t.slice(0, e.start) + e.text + t.slice(e.end);
        }
        text = batch.text;
        stats.iterations++;
        stats.edits += changes.length;
        let report: AnalysisReport | undefined;
        const t0 = performance.now();
        try {
          engine.change(uri, step + 2, changes);
          report = engine.analyze(uri, settings);
        } catch (err) {
          problem('crash', where, err instanceof Error ? (err.stack ?? err.message) : String(err));
          engine.close(uri);
          engine.open(uri, text, step + 2);
          continue;
        }
        const ms = performance.now() - t0;
        stats.slowestMs = Math.max(stats.slowestMs, ms);
        if (ms > options.boundMs) problem('hang', where, `analysis took ${ms.toFixed(0)} ms (bound ${options.boundMs} ms), ${text.length} code units`);
        if (report?.status.state === 'error') problem('crash', where, `${report.status.message ?? ''} | ${logged.slice(-1)[0] ?? ''}`);
        const doc = engine.document(uri);
        if (doc?.text !== text) {
          problem('disagreement', where, 'the document text differs from the text the edits produce');
          engine.close(uri);
          engine.open(uri, text, step + 2);
          continue;
        }
        if (step % options.compareEvery !== 0 && step !== options.steps - 1) continue;
        stats.comparisons++;
        // what the server does once typing pauses: a broken incremental tree is parsed again from scratch
        if (engine.settle(uri)) {
          stats.settled++;
          const keystrokeReport = report;
          report = engine.analyze(uri, settings);
          if (keystrokeReport && report && comparable(keystrokeReport, uri) !== comparable(report, uri)) stats.settledChanged++;
        }
        // the incremental tree equals a fresh parse
        const tree = doc.tree;
        if (tree && (text.length <= FRESH_REPARSE_LIMIT || !tree.rootNode.hasError)) {
          const reference = parser.parse(text);
          if (reference) {
            if (dumpWithPositions(tree) !== dumpWithPositions(reference)) problem('disagreement', where, 'incremental tree differs from a fresh parse');
            reference.delete();
          }
        }
        // diagnostics equal those of a freshly opened document
        if (tree && text.length > FRESH_REPARSE_LIMIT && tree.rootNode.hasError) continue;
        freshEngine.open(freshUri, text, step + 2);
        const fresh = freshEngine.analyze(freshUri, settings);
        freshEngine.close(freshUri);
        const a = comparable(report, uri);
        const b = comparable(fresh, freshUri);
        if (a !== b) {
          problem('disagreement', where, `diagnostics differ from a freshly opened document: ${firstDifference(a, b)}`);
          if (options.dumpDir) {
            const base = path.join(options.dumpDir, `${options.seed}-${index}-${file.name}-${step}`);
            fs.mkdirSync(options.dumpDir, { recursive: true });
            fs.writeFileSync(`${base}.pyx`, text);
            fs.writeFileSync(`${base}.before.pyx`, before.getText());
            fs.writeFileSync(`${base}.json`, JSON.stringify({ changes, live: JSON.parse(a), fresh: JSON.parse(b) }, null, 1));
          }
        }
      }
      engine.close(uri);
    }
  } finally {
    engine.dispose();
    freshEngine.dispose();
    parser.delete();
  }
  return stats;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `…${a.slice(Math.max(0, i - 80), i + 120)}… vs …${b.slice(Math.max(0, i - 80), i + 120)}…`;
}
