/**
 * The options of a `cython` command line that change what the analysis sees, as a build passes them (meson's
 * `cython_args`): directives (`-X name=value[,name=value]`, `-Xname=value`, `--directive name=value`,
 * `--directive=name=value`, `-3`/`-2`/`--3str` for language_level) and include dirs (`-I DIR`, `-IDIR`,
 * `--include-dir DIR`, `--include-dir=DIR`). Other options (`--cplus`, `--output-file`...) are passed over.
 * Elements whose value the build computes (not a literal) are reported and ignored: unknown is not a value.
 */
import * as path from 'node:path';
import type { Origin, Sourced } from './origin';

/** One element of an argument list: its text when it is a literal, else the expression that computes it. */
export interface ArgElement {
  text?: string;
  expression?: string;
  origin: Origin;
}

export interface CythonArgs {
  directives: Sourced<[string, string]>[];
  includeDirs: Sourced<string>[];
  /** Elements that could not be read, e.g. "`'-X boundscheck=' + boundscheck` is computed by the build". */
  ignored: { message: string; origin: Origin }[];
}

/** `a=b,c=d` as Cython's parse_directive_list splits it (names and values trimmed; malformed entries dropped). */
export function directiveList(text: string): [string, string][] | undefined {
  const out: [string, string][] = [];
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (!/^\w+$/.test(name) || value === '') return undefined;
    out.push([name, value]);
  }
  return out;
}

/**
 * Reads the directives and include dirs of a `cython` argument list. Relative include dirs are resolved against
 * `baseDir` when given, else ignored (a meson build runs the compiler in its build directory).
 */
export function readCythonArgs(elements: readonly ArgElement[], via: string, baseDir?: string): CythonArgs {
  const result: CythonArgs = { directives: [], includeDirs: [], ignored: [] };
  const directive = (text: string, el: ArgElement, shown: string): void => {
    const list = directiveList(text);
    if (!list) {
      result.ignored.push({ message: `${shown} is not a list of name=value directives`, origin: el.origin });
      return;
    }
    for (const d of list) result.directives.push({ value: d, origin: el.origin, via: `${shown} in ${via}` });
  };
  const include = (dir: string, el: ArgElement, shown: string): void => {
    if (dir.includes('@')) { // meson placeholders (@BUILD_ROOT@, @SOURCE_ROOT@...) name build-time paths
      result.ignored.push({ message: `${shown} names a build-time path`, origin: el.origin });
      return;
    }
    if (!path.isAbsolute(dir) && baseDir === undefined) {
      result.ignored.push({ message: `${shown} is relative to the build directory`, origin: el.origin });
      return;
    }
    result.includeDirs.push({ value: path.resolve(baseDir ?? '/', dir), origin: el.origin, via: `${shown} in ${via}` });
  };
  const computed = (el: ArgElement, what: string): void => {
    result.ignored.push({ message: `${what} \`${el.expression ?? '?'}\` is computed by the build`, origin: el.origin });
  };

  for (let i = 0; i < elements.length; i++) {
    const el = elements[i] as ArgElement;
    const text = el.text;
    if (text === undefined) {
      if (el.expression !== undefined && /-X|--directive|-I|--include-dir/.test(el.expression)) computed(el, 'the option');
      continue;
    }
    const arg = text.trim();
    const next = (): ArgElement | undefined => elements[i + 1];
    const takeNext = (flag: string, use: (value: string, el: ArgElement, shown: string) => void): void => {
      const n = next();
      i++;
      if (!n) result.ignored.push({ message: `${flag} has no value`, origin: el.origin });
      else if (n.text === undefined) computed(n, `the value of ${flag}`);
      else use(n.text.trim(), n, `${flag} ${n.text.trim()}`);
    };
    if (arg === '-3' || arg === '-2') {
      result.directives.push({ value: ['language_level', arg.slice(1)], origin: el.origin, via: `${arg} in ${via}` });
    } else if (arg === '--3str') {
      result.directives.push({ value: ['language_level', '3str'], origin: el.origin, via: `${arg} in ${via}` });
    } else if (arg === '-X' || arg === '--directive') {
      takeNext(arg, (v, n, shown) => directive(v, n, shown));
    } else if (arg.startsWith('--directive=')) {
      directive(arg.slice('--directive='.length), el, arg);
    } else if (arg.startsWith('-X')) {
      directive(arg.slice(2), el, arg);
    } else if (arg === '-I' || arg === '--include-dir') {
      takeNext(arg, (v, n, shown) => include(v, n, shown));
    } else if (arg.startsWith('--include-dir=')) {
      include(arg.slice('--include-dir='.length), el, arg);
    } else if (arg.startsWith('-I')) {
      include(arg.slice(2).trim(), el, arg);
    }
  }
  return result;
}
