/**
 * The globs of `exclude`, matched against a path relative to the project root with `/` separators:
 * `*` any characters but `/`, `?` one of them, `[abc]` a class, `**` any number of folders. A glob without a `/`
 * matches a file or folder name at any depth (`build`, `*_pb.pyx`); one with a `/` is anchored at the project root
 * (`src/gen/**`). A glob that matches a folder excludes everything in it.
 */
export function compileGlob(glob: string): (relPath: string) => boolean {
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  const anchored = g.replace(/\/$/, '').includes('/');
  g = g.replace(/\/$/, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i] as string;
    if (c === '*' && g[i + 1] === '*') {
      if (g[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close === -1) {
        re += '\\[';
      } else {
        const body = g.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else {
      re += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  const whole = new RegExp(`^${anchored ? '' : '(?:[^/]*/)*'}${re}$`);
  return (relPath: string): boolean => {
    // the path itself or one of the folders it is in
    const parts = relPath.split('/');
    for (let n = parts.length; n >= 1; n--) {
      if (whole.test(parts.slice(0, n).join('/'))) return true;
    }
    return false;
  };
}
