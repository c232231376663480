/**
 * The `cythonLens` settings an untrusted workspace may hand the server: the interpreter path emptied and exact mode
 * off, whatever the workspace's settings say (plain data, no VS Code API, so it is unit-tested).
 */
import { SETTINGS_SECTION } from '../../shared/src/protocol';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One `cythonLens` settings object, restricted: no interpreter, no compiler runs. */
export function restrictUntrusted(section: unknown): unknown {
  if (!isRecord(section)) return section;
  const annotations = isRecord(section['annotations']) ? section['annotations'] : {};
  return { ...section, pythonPath: '', annotations: { ...annotations, exactMode: false } };
}

/**
 * A `workspace/configuration` answer restricted item by item: items for the `cythonLens` section, and whole-config
 * items (no section) holding one.
 */
export function restrictConfigurationAnswer(items: readonly { section?: string }[], answer: unknown[]): unknown[] {
  return answer.map((value, i) => {
    const section = items[i]?.section;
    if (section === SETTINGS_SECTION) return restrictUntrusted(value);
    if (section === undefined && isRecord(value) && isRecord(value[SETTINGS_SECTION])) {
      return { ...value, [SETTINGS_SECTION]: restrictUntrusted(value[SETTINGS_SECTION]) };
    }
    return value;
  });
}
