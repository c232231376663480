/**
 * `[tool.cython-lens]` of a pyproject.toml, validated: every wrong key or value is reported in one sentence that names
 * the file and the key, and is ignored (the rest still applies). Nothing here throws.
 *
 * ```toml
 * [tool.cython-lens]
 * include-dirs = ["src", "third_party/pxd"]     # like -I; relative to the pyproject.toml's folder
 * exclude = ["build/**", "**\/_generated_*.pyx"] # files not analysed (globs relative to that folder)
 * python-path = ".venv/bin/python"              # the interpreter with Cython (like cythonLens.pythonPath)
 * [tool.cython-lens.directives]                 # like -X name=value for every file
 * boundscheck = false
 * [tool.cython-lens.severity-overrides]         # diagnostic code -> error|warning|information|hint|off
 * nogil-python-global = "warning"
 * ```
 */
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { SeverityOverride } from '../../../../shared/src/protocol';
import { isDiagnosticCode } from '../../../../shared/src/diagnostic-codes';
import type { Origin, Sourced } from './origin';

export const PYPROJECT_KEYS = ['include-dirs', 'directives', 'severity-overrides', 'exclude', 'python-path'] as const;
const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface PyprojectConfig {
  /** Whether the file has a `[tool.cython-lens]` table. */
  present: boolean;
  includeDirs: Sourced<string>[];
  directives: Sourced<[string, string]>[];
  severityOverrides: Sourced<[string, SeverityOverride]>[];
  exclude: Sourced<string>[];
  pythonPath?: Sourced<string>;
  problems: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function show(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
  } catch {
    return String(v);
  }
}

/** `includeDirs`, `include_dirs`, `IncludeDirs` → `include-dirs`. */
function kebab(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

export function readPyproject(text: string, file: string): PyprojectConfig {
  const config: PyprojectConfig = {
    present: false, includeDirs: [], directives: [], severityOverrides: [], exclude: [], problems: [],
  };
  const where = `${file} [tool.cython-lens]`;
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    const at = err instanceof TomlError ? `:${err.line}:${err.column}` : '';
    const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
    if (/\[tool\.cython-lens/.test(text)) {
      config.problems.push(`${file}${at}: not valid TOML (${message}); its [tool.cython-lens] is not read.`);
    }
    return config;
  }
  const tool = doc['tool'];
  if (!isRecord(tool)) return config;
  const table = tool['cython-lens'];
  if (table === undefined) {
    for (const k of Object.keys(tool)) {
      if (k !== 'cython-lens' && kebab(k) === 'cython-lens') {
        config.problems.push(`${file}: [tool.${k}] is not read; the table is [tool.cython-lens].`);
      }
    }
    return config;
  }
  const origin: Origin = { file };
  if (!isRecord(table)) {
    config.problems.push(`${file}: tool.cython-lens must be a table (got ${show(table)}); ignored.`);
    return config;
  }
  config.present = true;
  const base = path.dirname(file);
  const stringList = (key: string, value: unknown): string[] | undefined => {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    config.problems.push(`${where}: ${key} must be an array of strings (got ${show(value)}); ignored.`);
    return undefined;
  };

  for (const [key, value] of Object.entries(table)) {
    switch (key) {
      case 'include-dirs':
        for (const d of stringList(key, value) ?? []) {
          if (d.trim() === '') continue;
          config.includeDirs.push({ value: path.resolve(base, d), origin, via: `include-dirs "${d}"` });
        }
        break;
      case 'exclude':
        for (const g of stringList(key, value) ?? []) {
          if (g.trim() !== '') config.exclude.push({ value: g.trim(), origin, via: `exclude "${g}"` });
        }
        break;
      case 'python-path':
        if (typeof value === 'string' && value.trim() !== '') {
          const v = value.trim();
          // a path with a folder in it is relative to the project; a bare name ("python3") is looked up on PATH
          const resolved = v.includes('/') || v.includes('\\') ? path.resolve(base, v) : v;
          config.pythonPath = { value: resolved, origin, via: `python-path "${v}"` };
        } else {
          config.problems.push(`${where}: python-path must be a non-empty string (got ${show(value)}); ignored.`);
        }
        break;
      case 'directives':
        if (!isRecord(value)) {
          config.problems.push(`${where}: directives must be a table of directive = value (got ${show(value)}); ignored.`);
          break;
        }
        for (const [name, v] of Object.entries(value)) {
          if (!/^\w+$/.test(name)) {
            config.problems.push(`${where}: directives: ${show(name)} is not a directive name; ignored.`);
          } else if (typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))
            || typeof v === 'bigint') {
            const text = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
            config.directives.push({ value: [name, text], origin, via: `[tool.cython-lens.directives] ${name} = ${show(v)}` });
          } else {
            config.problems.push(`${where}: directives.${name} must be a string, number or boolean (got ${show(v)}); ignored.`);
          }
        }
        break;
      case 'severity-overrides':
        if (!isRecord(value)) {
          config.problems.push(`${where}: severity-overrides must be a table of diagnostic code = severity (got ${show(value)}); ignored.`);
          break;
        }
        for (const [code, v] of Object.entries(value)) {
          if (!isDiagnosticCode(code)) {
            config.problems.push(`${where}: severity-overrides: ${show(code)} is not a diagnostic code of Cython Lens (the codes are listed in its README); ignored.`);
          } else if (typeof v === 'string' && SEVERITIES.includes(v)) {
            config.severityOverrides.push({ value: [code, v as SeverityOverride], origin, via: `[tool.cython-lens.severity-overrides] ${code} = "${v}"` });
          } else {
            config.problems.push(`${where}: severity-overrides.${code} must be one of ${SEVERITIES.join(', ')} (got ${show(v)}); ignored.`);
          }
        }
        break;
      default: {
        const known = (PYPROJECT_KEYS as readonly string[]).find((k) => k === kebab(key));
        config.problems.push(`${where}: unknown key ${show(key)}${known ? ` (did you mean "${known}"?)` : ''}; `
          + `the keys are ${PYPROJECT_KEYS.join(', ')}.`);
      }
    }
  }
  return config;
}
