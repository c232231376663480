/** Command-line parsing for `cython-lens` (no dependencies; strict: unknown options are usage errors). */

export class UsageError extends Error {}

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface ParseArgs {
  command: 'parse';
  format: 'text' | 'json';
  paths: string[];
}

export interface CheckArgs {
  command: 'check';
  format: OutputFormat;
  annotate: boolean;
  includeDirs: string[];
  /** `-X name=value` compiler directives applied to every file. */
  directives: string[];
  /** `--verbose`: say on stderr which project configuration applies and where each value came from. */
  verbose?: boolean;
  /** The interpreter of the run, when a project's python-path chose it (set by the command, not an option). */
  python?: string;
  paths: string[];
  /** `--jobs N`: worker threads the files are spread over; undefined: the cores (fewer for little source). */
  jobs?: number;
}

export interface ReportArgs {
  command: 'report';
  format: 'text' | 'json';
  /** Folder the HTML report is written to (`--html DIR`). */
  html?: string;
  includeDirs: string[];
  directives: string[];
  verbose?: boolean;
  python?: string;
  paths: string[];
  jobs?: number;
}

export interface LspArgs {
  command: 'lsp';
}

export interface HelpArgs {
  command: 'help';
}

export type CliArgs = ParseArgs | CheckArgs | ReportArgs | LspArgs | HelpArgs;

export const USAGE = `Usage:
  cython-lens lsp --stdio                      run the language server on stdin/stdout
  cython-lens parse [--format text|json] PATH...
        report syntax-error regions of .pyx/.pxd/.pxi files (folders are walked)
  cython-lens check [--format text|json|sarif] [--annotate] [-v] [-I DIR]... [-X NAME=VALUE]... [--jobs N] PATH...
        run all checks; --annotate adds the estimated per-line Python-interaction scores
  cython-lens report [--html DIR] [--format text|json] [-v] [-I DIR]... [-X NAME=VALUE]... [--jobs N] PATH...
        a whole project: findings, line scores with reasons, code that runs without the GIL, hottest functions;
        --html writes a static report (DIR/index.html, one page per file)
  --jobs N, -j N: analyse the files on N worker threads (default: the cores, fewer for little source); the
        output is the same for any N
  Each file also gets its project's configuration ([tool.cython-lens] of pyproject.toml, cython_args of
        meson.build, cythonize() options of setup.py; -I and -X win over it); -v, --verbose: show it and where each
        value came from
Exit status: 0 no errors, 1 errors found, 2 usage or internal failure.`;

function takeValue(argv: string[], i: number, flag: string): string {
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('-')) throw new UsageError(`${flag} needs a value`);
  return v;
}

function formatOf(value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) throw new UsageError(`--format must be one of ${allowed.join(', ')} (got ${value})`);
  return value;
}

export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help' };
  }
  if (command === 'lsp') {
    const extra = rest.filter((a) => a !== '--stdio');
    if (extra.length > 0 || !rest.includes('--stdio')) {
      throw new UsageError('lsp supports exactly one transport: cython-lens lsp --stdio');
    }
    return { command: 'lsp' };
  }
  if (command !== 'parse' && command !== 'check' && command !== 'report') throw new UsageError(`unknown command: ${command}`);
  const takesBuildOptions = command === 'check' || command === 'report';

  let format = 'text';
  let annotate = false;
  let verbose = false;
  let html: string | undefined;
  let jobs: number | undefined;
  const includeDirs: string[] = [];
  const directives: string[] = [];
  const paths: string[] = [];
  let onlyPaths = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (onlyPaths || !a.startsWith('-') || a === '-') {
      paths.push(a);
    } else if (a === '--') {
      onlyPaths = true;
    } else if (a === '--format' || a === '-f') {
      format = takeValue(rest, i, a);
      i++;
    } else if (a.startsWith('--format=')) {
      format = a.slice('--format='.length);
    } else if (takesBuildOptions && (a === '-v' || a === '--verbose')) {
      verbose = true;
    } else if (command === 'check' && a === '--annotate') {
      annotate = true;
    } else if (command === 'report' && a === '--html') {
      html = takeValue(rest, i, a);
      i++;
    } else if (command === 'report' && a.startsWith('--html=')) {
      html = a.slice('--html='.length);
    } else if (takesBuildOptions && (a === '-X' || a === '--directive')) {
      const v = takeValue(rest, i, a);
      if (!/^\w+=/.test(v)) throw new UsageError(`${a} needs name=value (got ${v})`);
      directives.push(v);
      i++;
    } else if (takesBuildOptions && (a === '--jobs' || a === '-j' || a.startsWith('--jobs='))) {
      const v = a.startsWith('--jobs=') ? a.slice('--jobs='.length) : takeValue(rest, i, a);
      if (!a.startsWith('--jobs=')) i++;
      if (!/^[1-9]\d{0,3}$/.test(v)) throw new UsageError(`${a.split('=')[0]} needs a number of jobs from 1 (got ${v})`);
      jobs = Number(v);
    } else if (takesBuildOptions && (a === '-I' || a === '--include-dir')) {
      includeDirs.push(takeValue(rest, i, a));
      i++;
    } else if (takesBuildOptions && a.startsWith('-I') && a.length > 2) {
      includeDirs.push(a.slice(2));
    } else if (a === '--help' || a === '-h') {
      return { command: 'help' };
    } else {
      throw new UsageError(`unknown option for ${command}: ${a}`);
    }
  }
  if (paths.length === 0) throw new UsageError(`${command} needs at least one PATH`);
  if (command === 'parse') {
    return { command, format: formatOf(format, ['text', 'json']) as 'text' | 'json', paths };
  }
  if (command === 'report') {
    return { command, format: formatOf(format, ['text', 'json']) as 'text' | 'json', html, includeDirs, directives, verbose, paths, jobs };
  }
  return {
    command,
    format: formatOf(format, ['text', 'json', 'sarif']) as OutputFormat,
    annotate,
    includeDirs,
    directives,
    verbose,
    paths,
    jobs,
  };
}
