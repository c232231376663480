/**
 * The text of the files that declare called functions (.pxd files other than the document being checked), read
 * from disk at most once every few seconds and kept while unchanged, with what is computed once per text: line
 * starts, and whether the file declares C++ (where overloads make one signature per name unreliable).
 */
import * as fs from 'node:fs';
import { SessionSlot } from '../../model/analysis-session';
import { uriToPath } from '../../model/pxd-resolver';

export interface SourceEntry {
  checked: number;
  text: string | undefined;
  lineStarts?: number[];
}

/** The texts of declaring .pxd files, by URI, in each session. */
export const SOURCES = new SessionSlot('call-arguments .pxd texts', () => new Map<string, SourceEntry>());

/** A declaring .pxd's text, read once every few seconds at most. */
export function sourceEntry(sources: Map<string, SourceEntry>, uri: string): SourceEntry {
  const hit = sources.get(uri);
  if (hit && Date.now() - hit.checked < 5000) return hit;
  const file = uriToPath(uri);
  let text: string | undefined;
  try {
    text = file === undefined ? undefined : fs.readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  // Unchanged text keeps its entry (and what is cached on it).
  if (hit && hit.text === text) {
    hit.checked = Date.now();
    return hit;
  }
  const entry: SourceEntry = { checked: Date.now(), text };
  sources.set(uri, entry);
  return entry;
}

/** Offset of a (line, character) position in a source entry's text; line starts are computed once. */
export function offsetIn(entry: SourceEntry, line: number, character: number): number | undefined {
  if (entry.text === undefined) return undefined;
  if (!entry.lineStarts) {
    const starts = [0];
    for (let i = entry.text.indexOf('\n'); i >= 0; i = entry.text.indexOf('\n', i + 1)) starts.push(i + 1);
    entry.lineStarts = starts;
  }
  const start = entry.lineStarts[line];
  return start === undefined ? undefined : start + character;
}

const cppVerdicts = new WeakMap<object, boolean>();

/** Whether a .pxd declares C++ things (namespaces, cppclasses, `except +`): its functions may be overloaded. */
export function cppDeclarations(sources: Map<string, SourceEntry>, uri: string): boolean {
  if (/\/libcpp\//.test(uri)) return true;
  const entry = sourceEntry(sources, uri);
  if (entry.text === undefined) return true;
  let cpp = cppVerdicts.get(entry);
  if (cpp === undefined) {
    cpp = /namespace\s*"|\bcppclass\b|except\s*\+/.test(entry.text);
    cppVerdicts.set(entry, cpp);
  }
  return cpp;
}
