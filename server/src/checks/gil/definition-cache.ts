/**
 * Per-definition memo of GIL findings, so that a keystroke re-checks only the top-level statement it touched.
 *
 * A top-level statement's findings depend on its own text and on what the rest of the module declares (function
 * signatures, cdef variables, classes, cimports), never on other function bodies. The key is therefore the
 * statement's text plus a fingerprint of the module with every function body blanked out, plus the generation of
 * the .pxd cache. Findings are stored relative to the statement's first line and shifted when it moved.
 */
import { createHash } from 'node:crypto';
import type { Node } from 'web-tree-sitter';
import { field } from '../../model/syntax';

export interface CachedFinding {
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** Rows relative to the statement's first row; columns absolute. */
  start: { row: number; column: number };
  end: { row: number; column: number };
  releasedBy?: { start: { row: number; column: number }; end: { row: number; column: number }; what: string };
  related?: { uri: string; start: { row: number; column: number }; end: { row: number; column: number };
    message: string; relative: boolean }[];
  data?: Record<string, unknown>;
}

const BODY_HOLDERS = new Set(['function_definition', 'c_function_definition']);

/** The module's text with function bodies blanked: what other definitions can depend on. */
export function moduleFingerprint(root: Node, extra: string): string {
  const text = root.text;
  const cuts: [number, number][] = [];
  const visit = (n: Node): void => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (BODY_HOLDERS.has(c.type)) {
        const body = field(c, 'body');
        if (body) cuts.push([body.startIndex, body.endIndex]);
        continue;
      }
      if (c.type === 'class_definition' || c.type === 'cdef_class_definition' || c.type === 'decorated_definition'
        || c.type === 'block' || c.type === 'cypclass_definition') visit(c);
    }
  };
  visit(root);
  const hash = createHash('sha1');
  let at = 0;
  for (const [s, e] of cuts) {
    hash.update(text.slice(at, s));
    at = e;
  }
  hash.update(text.slice(at));
  hash.update('\0' + extra);
  return hash.digest('hex');
}

export class DefinitionCache {
  private entries = new Map<string, CachedFinding[]>();
  private fingerprint = '';
  hits = 0;
  misses = 0;

  /** Starts an analysis; entries from another module fingerprint are dropped. */
  begin(fingerprint: string): void {
    if (fingerprint !== this.fingerprint) {
      this.entries = new Map();
      this.fingerprint = fingerprint;
    }
  }

  key(node: Node): string {
    return `${node.startPosition.column}:${node.text}`;
  }

  get(node: Node): CachedFinding[] | undefined {
    const hit = this.entries.get(this.key(node));
    if (hit) this.hits++;
    else this.misses++;
    return hit;
  }

  set(node: Node, findings: CachedFinding[]): void {
    this.entries.set(this.key(node), findings);
  }

  /** Keeps only the entries of the given statements (called at the end of an analysis, bounds memory). */
  retain(nodes: Node[]): void {
    const keep = new Set(nodes.map((n) => this.key(n)));
    for (const k of [...this.entries.keys()]) if (!keep.has(k)) this.entries.delete(k);
  }
}
