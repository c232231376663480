/** Command line of the benchmark (after scripts/bench.mjs added `--repo ROOT`). */
export interface BenchArgs {
  repo: string;
  /** Compiler comparison on at most this many corpus files (spread over the sorted list); default all. */
  files: number | undefined;
  /** Keystrokes per document size. */
  edits: number;
  sections: Set<string>;
  /** Internal: run the cold-indexing measurement in this (fresh) process and print JSON. */
  coldIndexChild: boolean;
  lines: number[];
  /** Keystroke section: the typing modes (bench/typing.ts), each at every size. */
  typing: ('body' | 'header')[];
  /** Real files: the largest module of this many projects of the broad corpus. */
  realProjects: number;
  /** Start-up: runs of each process. */
  startupRuns: number;
  /** CLI section: whole projects of the broad corpus, by name. */
  cliProjects: string[];
}

export const ALL_SECTIONS = ['startup', 'cli', 'open', 'real', 'compiler', 'project', 'keystroke', 'index', 'growth', 'navigation', 'config'] as const;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { repo: process.cwd(), files: undefined, edits: 300, sections: new Set(ALL_SECTIONS),
    coldIndexChild: false, lines: [1000, 5000, 20000], typing: ['body', 'header'], realProjects: 8, startupRuns: 10,
    cliProjects: ['cytoolz', 'pyproj', 'h5py'] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench: ${a} needs a value`);
      return v;
    };
    if (a === '--repo') args.repo = value();
    else if (a === '--files') args.files = Number(value());
    else if (a === '--edits') args.edits = Number(value());
    else if (a === '--lines') args.lines = value().split(',').map(Number);
    else if (a === '--typing') {
      const modes = value().split(',');
      const bad = modes.find((m) => m !== 'body' && m !== 'header');
      if (bad !== undefined) throw new Error(`bench: unknown typing mode ${bad} (body, header)`);
      args.typing = modes as ('body' | 'header')[];
    } else if (a === '--sections') args.sections = new Set(value().split(','));
    else if (a === '--real') args.realProjects = Number(value());
    else if (a === '--startup-runs') args.startupRuns = Number(value());
    else if (a === '--cli-projects') args.cliProjects = value().split(',').filter(Boolean);
    else if (a === '--no-compiler') args.sections.delete('compiler');
    else if (a === '--cold-index-child') args.coldIndexChild = true;
    else throw new Error(`bench: unknown option ${a} (options: --files N, --edits N, --lines 1000,5000,20000, --typing body,header, --real N, --startup-runs N, --cli-projects a,b,c, --sections ${ALL_SECTIONS.join(',')}, --no-compiler)`);
  }
  for (const s of args.sections) {
    if (!(ALL_SECTIONS as readonly string[]).includes(s)) throw new Error(`bench: unknown section ${s}`);
  }
  return args;
}
