/**
 * The interpreter the Python extension chose, handed to the server as `cythonLens.pythonPath` when that setting is
 * empty (plain data, no VS Code API, so it is unit-tested). Order: the `cythonLens.pythonPath` setting; else the
 * Python extension's active interpreter for the document's folder; else nothing (the server's own fallbacks: a
 * project's `[tool.cython-lens] python-path`, then `python3` from PATH). Trusted workspaces only: an untrusted
 * workspace's answers are restricted afterwards (untrusted-settings.ts).
 */
import { SETTINGS_SECTION } from '../../shared/src/protocol';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The interpreter (an executable path) for a scope URI, or undefined when there is none to offer. */
export type InterpreterLookup = (scopeUri: string | undefined) => Promise<string | undefined>;

/** One `cythonLens` settings object with an empty (or missing) `pythonPath` given the interpreter. */
export function withInterpreter(section: unknown, interpreter: string | undefined): unknown {
  if (!interpreter) return section;
  if (section === undefined || section === null) return { pythonPath: interpreter };
  if (!isRecord(section)) return section;
  const configured = section['pythonPath'];
  if (typeof configured === 'string' && configured.trim() !== '') return section;
  if (configured !== undefined && typeof configured !== 'string') return section; // the server reports it
  return { ...section, pythonPath: interpreter };
}

/**
 * A `workspace/configuration` answer with the interpreter filled in item by item: items for the `cythonLens`
 * section, and whole-config items (no section) holding one. A failing lookup leaves the item as it is.
 */
export async function fillInterpreterAnswer(items: readonly { section?: string; scopeUri?: string }[],
  answer: unknown[], lookup: InterpreterLookup): Promise<unknown[]> {
  return Promise.all(answer.map(async (value, i) => {
    const item = items[i];
    const section = item?.section;
    const ours = section === SETTINGS_SECTION;
    const whole = section === undefined && isRecord(value) && isRecord(value[SETTINGS_SECTION]);
    if (!ours && !whole) return value;
    const current = ours ? value : (value as Record<string, unknown>)[SETTINGS_SECTION];
    if (isRecord(current) && typeof current['pythonPath'] === 'string' && current['pythonPath'].trim() !== '') return value;
    let interpreter: string | undefined;
    try {
      interpreter = await lookup(item?.scopeUri);
    } catch {
      interpreter = undefined;
    }
    if (ours) return withInterpreter(value, interpreter);
    return { ...(value as Record<string, unknown>), [SETTINGS_SECTION]: withInterpreter(current, interpreter) };
  }));
}
