/**
 * Two projects that cimport the same module name through a .pxd they share, each with its own include dir: the
 * shared `common/lib.pxd` does `from config cimport helper`, and each project's `include/config.pxd` declares
 * `helper` differently (nogil in A, GIL-requiring in B). The same `src/m.pyx` calls `helper` in a nogil function, so
 * the pinned compiler accepts A and rejects B ("Calling gil-requiring function not allowed without gil", 4:17),
 * with `-I include -I ../common` in each project. A tool that lets one project's include dirs leak into the other's
 * analysis (a .pxd cached with the cimports of whichever project loaded it first) gets one of them wrong.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CALL_IN_NOGIL = [
  'from lib cimport helper',
  '',
  'cdef double run(double x) noexcept nogil:',
  '    return helper(x)',
  '',
].join('\n');

export const GIL_REQUIRING_CALL = 'Calling gil-requiring function not allowed without gil';

export interface Project {
  /** The workspace folder. */
  folder: string;
  folderUri: string;
  /** `src/m.pyx` */
  file: string;
  uri: string;
  /** Absolute include dirs, as `cythonLens.includeDirs` resolves `['include', '../common']` in this folder. */
  includeDirs: string[];
}

export interface TwoProjects {
  root: string;
  /** helper is nogil: no error */
  a: Project;
  /** helper needs the GIL: an error at 4:18 (LSP 3:17) */
  b: Project;
  dispose(): void;
}

export function makeTwoProjects(): TwoProjects {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-two-projects-'));
  fs.mkdirSync(path.join(root, 'common'));
  fs.writeFileSync(path.join(root, 'common', 'lib.pxd'), 'from config cimport helper\n');
  const project = (name: string, declaration: string): Project => {
    const folder = path.join(root, name);
    fs.mkdirSync(path.join(folder, 'include'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'src'));
    fs.writeFileSync(path.join(folder, 'include', 'config.pxd'), `${declaration}\n`);
    const file = path.join(folder, 'src', 'm.pyx');
    fs.writeFileSync(file, CALL_IN_NOGIL);
    return {
      folder, folderUri: pathToFileURL(folder).href, file, uri: pathToFileURL(file).href,
      includeDirs: [path.join(folder, 'include'), path.join(root, 'common')],
    };
  };
  return {
    root,
    a: project('projA', 'cdef double helper(double x) noexcept nogil'),
    b: project('projB', 'cdef double helper(double x) noexcept'),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
