import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS } from '../../shared/src/protocol';
import { SettingsCache } from '../../server/src/settings/settings-cache';
import { defaultSettings, validateSettings } from '../../server/src/settings/validate-settings';

describe('settings validation', () => {
  it('fills defaults for missing values', () => {
    const { settings, problems } = validateSettings({});
    assert.deepEqual(settings, defaultSettings());
    assert.deepEqual(problems, []);
    assert.deepEqual(validateSettings(undefined).settings, defaultSettings());
    assert.equal(defaultSettings().maxFileSize, DEFAULT_SETTINGS.maxFileSize);
  });

  it('accepts valid values and resolves relative include dirs', () => {
    const { settings, problems } = validateSettings(
      {
        pythonPath: ' /usr/bin/python3 ',
        includeDirs: ['inc', '/abs', ''],
        annotations: { enabled: false, intensity: 1.5, exactMode: true },
        severityOverrides: { syntax: 'hint', 'nogil-python-global': 'off' },
        maxFileSize: 5000,
        trace: { server: 'verbose' },
      },
      '/ws',
    );
    assert.deepEqual(problems, []);
    assert.equal(settings.pythonPath, '/usr/bin/python3');
    assert.deepEqual(settings.includeDirs, ['/ws/inc', '/abs']);
    assert.deepEqual(settings.annotations, { enabled: false, intensity: 1.5, exactMode: true });
    assert.deepEqual(settings.severityOverrides, { syntax: 'hint', 'nogil-python-global': 'off' });
    assert.equal(settings.maxFileSize, 5000);
    assert.equal(settings.trace.server, 'verbose');
  });

  it('reports each wrong value clearly and uses the default instead', () => {
    const { settings, problems } = validateSettings({
      pythonPath: 3,
      includeDirs: 'inc',
      annotations: { enabled: 'yes', intensity: 9 },
      severityOverrides: { syntax: 'fatal', 'gil-call': 'off' },
      maxFileSize: -1,
    });
    assert.deepEqual(settings, defaultSettings());
    assert.equal(problems.length, 7);
    assert.ok(problems.some((p) => p.includes('"gil-call" is not a diagnostic code of Cython Lens')));
    assert.ok(problems.some((p) => p.includes('cythonLens.annotations.intensity must be a number between 0 and 2 (got 9); using 1.')));
    assert.ok(problems.some((p) => p.includes('cythonLens.severityOverrides.syntax must be one of')));
    assert.match(validateSettings('nonsense').problems[0] ?? '', /must be an object/);
  });

  it('caches per resource, reports problems once, refreshes after clear()', async () => {
    let fetches = 0;
    const reported: string[] = [];
    let raw: unknown = { annotations: { intensity: 'high' } };
    const cache = new SettingsCache({
      fetch: async () => {
        fetches++;
        return raw;
      },
      baseDir: () => undefined,
      report: (p) => reported.push(...p),
    });
    const a = await cache.get('file:///a.pyx');
    await cache.get('file:///a.pyx');
    await cache.get('file:///b.pyx');
    assert.equal(fetches, 2);
    assert.equal(a.annotations.intensity, 1);
    assert.equal(reported.length, 1);
    assert.equal(cache.peek('file:///a.pyx'), a);
    raw = { annotations: { intensity: 2 } };
    cache.clear();
    assert.equal(cache.peek('file:///a.pyx'), undefined);
    assert.equal((await cache.get('file:///a.pyx')).annotations.intensity, 2);
    assert.equal(fetches, 3);
  });

  it('a failing fetch gives defaults and one message', async () => {
    const reported: string[] = [];
    const cache = new SettingsCache({
      fetch: () => Promise.reject(new Error('no config')),
      baseDir: () => undefined,
      report: (p) => reported.push(...p),
    });
    assert.deepEqual(await cache.get('file:///x.pyx'), defaultSettings());
    assert.match(reported[0] ?? '', /Could not read cythonLens settings.*no config/);
  });
});
