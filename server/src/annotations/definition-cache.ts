/**
 * Per-document cache of the costs of each top-level statement, keyed by its text, the directives in force and a
 * fingerprint of the module's declarations: after a keystroke only the edited definition is walked again.
 * Costs are stored relative to the statement's first line, so definitions that merely moved are reused.
 */
import { createHash } from 'node:crypto';
import type { Node } from '../model/syntax';
import { field, significantChildren, undecorate } from '../model/syntax';
import type { LineCost } from './line-costs';

interface Entry {
  costs: LineCost[];
}

export class DefinitionCache {
  private readonly documents = new Map<string, Map<string, Entry>>();
  hits = 0;
  misses = 0;

  /** Costs of `node` (absolute lines), computed by `compute` (absolute lines) on a miss. */
  costsOf(uri: string, key: string, node: Node, fresh: Map<string, Entry>, compute: () => LineCost[]): LineCost[] {
    const row = node.startPosition.row;
    const fullKey = `${key}\u0000${node.text}`;
    const old = this.documents.get(uri)?.get(fullKey) ?? fresh.get(fullKey);
    let entry: Entry;
    if (old) {
      this.hits++;
      entry = old;
    } else {
      this.misses++;
      entry = { costs: compute().map((c) => ({ ...c, line: c.line - row })) };
    }
    fresh.set(fullKey, entry);
    return entry.costs.map((c) => ({ ...c, line: c.line + row }));
  }

  /**
   * After a complete run: the document's entries become those used by it (edited-away definitions are dropped).
   * After a run stopped at the deadline: its entries are added, so that the next run continues where it stopped.
   */
  commit(uri: string, fresh: Map<string, Entry>, complete = true): void {
    const old = this.documents.get(uri);
    this.documents.set(uri, complete || !old ? fresh : new Map([...old, ...fresh]));
  }

  forget(uri: string): void {
    this.documents.delete(uri);
  }

  newRun(): Map<string, Entry> {
    return new Map();
  }
}

/** The text of a definition without its function bodies: what other definitions can depend on. */
function interfaceText(node: Node): string {
  const def = undecorate(node);
  const body = field(def, 'body');
  if (!body) return node.text;
  const header = node.text.slice(0, body.startIndex - node.startIndex);
  if (def.type === 'function_definition' || def.type === 'c_function_definition') return header;
  return header + significantChildren(body).map(interfaceText).join('\n');
}

/** A hash of every module-level declaration (signatures, class layouts, globals, cimports, imports). */
export function moduleFingerprint(root: Node, extra: string): string {
  const h = createHash('sha1');
  h.update(extra);
  for (const s of significantChildren(root)) {
    h.update('\u0000');
    h.update(interfaceText(s));
  }
  return h.digest('hex');
}
