import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SourceFile {
  /** The path as the user gave it (or as found by walking a folder). */
  file: string;
  uri: string;
  text: string;
}

/** Reads a source file as UTF-8 (invalid bytes become U+FFFD; NUL bytes are kept so binaries are detected). */
export function readSource(file: string): SourceFile {
  const text = fs.readFileSync(file).toString('utf8');
  return { file, uri: pathToFileURL(path.resolve(file)).href, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
