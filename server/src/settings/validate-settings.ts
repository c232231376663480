/**
 * Turns the raw `cythonLens` configuration object (whatever the client sent) into complete, valid settings.
 * Every wrong value is reported in one sentence and replaced by its default; nothing here throws.
 */
import * as path from 'node:path';
import {
  DEFAULT_SETTINGS,
  type CythonLensSettings,
  type SeverityOverride,
  type TraceLevel,
} from '../../../shared/src/protocol';
import { isDiagnosticCode } from '../../../shared/src/diagnostic-codes';

export interface ValidatedSettings {
  settings: CythonLensSettings;
  /** Human-readable problems, e.g. "cythonLens.annotations.intensity must be a number between 0 and 2 (got "x"); using 1." */
  problems: string[];
}

const SEVERITIES: readonly SeverityOverride[] = ['error', 'warning', 'information', 'hint', 'off'];
const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
  } catch {
    return String(v);
  }
}

export function defaultSettings(): CythonLensSettings {
  return {
    ...DEFAULT_SETTINGS,
    includeDirs: [],
    annotations: { ...DEFAULT_SETTINGS.annotations },
    severityOverrides: {},
    directives: {},
    trace: { ...DEFAULT_SETTINGS.trace },
    inlayHints: { ...DEFAULT_SETTINGS.inlayHints },
  };
}

/**
 * @param raw the `cythonLens` section (nested objects, as VS Code returns it for a section)
 * @param baseDir directory relative `includeDirs` are resolved against (the workspace folder), if any
 */
export function validateSettings(raw: unknown, baseDir?: string): ValidatedSettings {
  const settings = defaultSettings();
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isRecord(raw)) {
    problems.push(`cythonLens settings must be an object (got ${show(raw)}); using defaults.`);
    return { settings, problems };
  }
  const bad = (key: string, expected: string, got: unknown, fallback: unknown): void => {
    problems.push(`cythonLens.${key} must be ${expected} (got ${show(got)}); using ${show(fallback)}.`);
  };

  if (raw['pythonPath'] !== undefined) {
    if (typeof raw['pythonPath'] === 'string') settings.pythonPath = raw['pythonPath'].trim();
    else bad('pythonPath', 'a string', raw['pythonPath'], settings.pythonPath);
  }

  if (raw['includeDirs'] !== undefined) {
    const dirs = raw['includeDirs'];
    if (Array.isArray(dirs) && dirs.every((d) => typeof d === 'string')) {
      settings.includeDirs = (dirs as string[])
        .filter((d) => d.trim() !== '')
        .map((d) => (baseDir && !path.isAbsolute(d) ? path.resolve(baseDir, d) : d));
    } else {
      bad('includeDirs', 'an array of strings', dirs, settings.includeDirs);
    }
  }

  const ann = raw['annotations'];
  if (ann !== undefined) {
    if (!isRecord(ann)) {
      bad('annotations', 'an object', ann, settings.annotations);
    } else {
      if (ann['enabled'] !== undefined) {
        if (typeof ann['enabled'] === 'boolean') settings.annotations.enabled = ann['enabled'];
        else bad('annotations.enabled', 'true or false', ann['enabled'], settings.annotations.enabled);
      }
      if (ann['intensity'] !== undefined) {
        const v = ann['intensity'];
        if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 2) settings.annotations.intensity = v;
        else bad('annotations.intensity', 'a number between 0 and 2', v, settings.annotations.intensity);
      }
      if (ann['exactMode'] !== undefined) {
        if (typeof ann['exactMode'] === 'boolean') settings.annotations.exactMode = ann['exactMode'];
        else bad('annotations.exactMode', 'true or false', ann['exactMode'], settings.annotations.exactMode);
      }
    }
  }

  const hints = raw['inlayHints'];
  if (hints !== undefined) {
    if (!isRecord(hints)) {
      bad('inlayHints', 'an object', hints, settings.inlayHints);
    } else {
      for (const key of ['inferredTypes', 'exceptionSpecs'] as const) {
        if (hints[key] === undefined) continue;
        const v = hints[key];
        if (typeof v === 'boolean') settings.inlayHints[key] = v;
        else bad(`inlayHints.${key}`, 'true or false', v, settings.inlayHints[key]);
      }
    }
  }

  const sev = raw['severityOverrides'];
  if (sev !== undefined) {
    if (!isRecord(sev)) {
      bad('severityOverrides', 'an object mapping diagnostic codes to severities', sev, {});
    } else {
      for (const [code, value] of Object.entries(sev)) {
        if (!isDiagnosticCode(code)) {
          problems.push(`cythonLens.severityOverrides: ${show(code)} is not a diagnostic code of Cython Lens `
            + '(the codes are listed in its README); ignored.');
        } else if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) {
          settings.severityOverrides[code] = value as SeverityOverride;
        } else {
          problems.push(
            `cythonLens.severityOverrides.${code} must be one of ${SEVERITIES.join(', ')} (got ${show(value)}); ignored.`,
          );
        }
      }
    }
  }

  const directives = raw['directives'];
  if (directives !== undefined) {
    if (!isRecord(directives)) {
      bad('directives', 'an object mapping directive names to values', directives, {});
    } else {
      for (const [name, value] of Object.entries(directives)) {
        if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
          settings.directives[name] = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
        } else {
          problems.push(`cythonLens.directives.${name} must be a string, number or boolean (got ${show(value)}); ignored.`);
        }
      }
    }
  }

  if (raw['maxFileSize'] !== undefined) {
    const v = raw['maxFileSize'];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 1024) settings.maxFileSize = Math.floor(v);
    else bad('maxFileSize', 'a number of bytes >= 1024', v, settings.maxFileSize);
  }

  const trace = raw['trace'];
  if (isRecord(trace) && trace['server'] !== undefined) {
    const v = trace['server'];
    if (typeof v === 'string' && (TRACE_LEVELS as readonly string[]).includes(v)) settings.trace.server = v as TraceLevel;
    else bad('trace.server', `one of ${TRACE_LEVELS.join(', ')}`, v, settings.trace.server);
  }

  return { settings, problems };
}
