import * as fs from 'node:fs';
import * as path from 'node:path';

/** Repository root (tests run compiled from out/test/...). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', name), 'utf8');
}

export function fixturePath(name: string): string {
  return path.join(REPO_ROOT, 'test', 'fixtures', name);
}
