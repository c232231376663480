/**
 * The graph of relative imports between the TypeScript files of some folders, read with the TypeScript compiler's
 * own import scanner (`import`, `import type`, `export ... from`, `import()`, `require()`), and the two rules the
 * architecture test checks on it: no file-level cycle, and no import from a folder to one above it in the layer order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** Files by repository-relative path (`server/src/model/syntax.ts`), each with the files it imports. */
export type ImportGraph = Map<string, string[]>;

/** Reads every `.ts` file under `dirs` (relative to `root`) and the relative imports that resolve to a `.ts` file. */
export function readImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(rel);
    }
  };
  for (const dir of dirs) walk(dir);
  for (const file of files.sort()) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const imported = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    const targets = new Set<string>();
    for (const spec of imported) {
      if (!spec.startsWith('.')) continue;
      const target = resolveImport(root, file, spec);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

function resolveImport(root: string, from: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/\.js$/, '');
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    if (candidate.endsWith('.ts') && fs.existsSync(path.join(root, candidate))) return candidate;
  }
  return undefined;
}

/** The import cycles: each strongly connected set of files (more than one file, or a file importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative (the graph of a real project is deep enough to matter).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const targets = graph.get(top.node) ?? [];
      if (top.edge < targets.length) {
        const w = targets[top.edge++]!;
        if (!graph.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, edge: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        if (component.length > 1 || targets.includes(top.node)) cycles.push(component.sort());
      }
    }
  }
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * The layer of a file: the index in `layers` (bottom first) of the longest entry that is the file itself or one of
 * its folders; -1 when none is.
 */
export function layerOf(file: string, layers: readonly string[]): number {
  let best = -1;
  let bestLength = -1;
  layers.forEach((layer, i) => {
    if ((file === layer || file.startsWith(`${layer}/`)) && layer.length > bestLength) {
      best = i;
      bestLength = layer.length;
    }
  });
  return best;
}

export interface LayerViolation {
  from: string;
  to: string;
  /** The layers of both ends, as listed (undefined: the file is in no layer). */
  fromLayer: string | undefined;
  toLayer: string | undefined;
}

/** Imports that go up the layer order, and imports from or to a file that belongs to no layer. */
export function layerViolations(graph: ImportGraph, layers: readonly string[]): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from, layers);
    for (const to of targets) {
      const b = layerOf(to, layers);
      if (a < 0 || b < 0 || b > a) out.push({ from, to, fromLayer: layers[a], toLayer: layers[b] });
    }
  }
  return out;
}
