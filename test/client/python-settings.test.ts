/**
 * The Python the user chose in the Python extension (client/src/python-settings.ts): with `cythonLens.pythonPath`
 * empty, the client's answers to workspace/configuration carry the extension's interpreter for the item's scope;
 * a configured path wins; without the extension (no interpreter) or when it fails, the answer is unchanged and the
 * server falls back to python3. End to end below the editor: a server given such an answer discovers that Python.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fillInterpreterAnswer, withInterpreter } from '../../client/src/python-settings';
import { restrictConfigurationAnswer } from '../../client/src/untrusted-settings';
import { LspPair } from '../support/lsp-pair';
import { REPO_ROOT } from '../support/paths';

describe('the Python extension\'s interpreter', () => {
  let pair: LspPair | undefined;
  afterEach(() => pair?.dispose());

  it('fills an empty pythonPath, keeps a configured one', () => {
    assert.deepEqual(withInterpreter({ pythonPath: '', includeDirs: ['x'] }, '/env/bin/python'),
      { pythonPath: '/env/bin/python', includeDirs: ['x'] });
    assert.deepEqual(withInterpreter({}, '/env/bin/python'), { pythonPath: '/env/bin/python' });
    assert.deepEqual(withInterpreter(undefined, '/env/bin/python'), { pythonPath: '/env/bin/python' });
    assert.deepEqual(withInterpreter({ pythonPath: '/mine/python' }, '/env/bin/python'), { pythonPath: '/mine/python' });
    // a wrong value is the server's to report, not ours to hide
    assert.deepEqual(withInterpreter({ pythonPath: 3 }, '/env/bin/python'), { pythonPath: 3 });
    // no Python extension: unchanged
    assert.deepEqual(withInterpreter({ pythonPath: '' }, undefined), { pythonPath: '' });
  });

  it('asks per scope, only for the cythonLens section, and survives a failing lookup', async () => {
    const asked: (string | undefined)[] = [];
    const lookup = async (scope: string | undefined): Promise<string | undefined> => {
      asked.push(scope);
      return scope?.includes('/a/') ? '/a/.venv/bin/python' : undefined;
    };
    const answer = await fillInterpreterAnswer(
      [{ section: 'cythonLens', scopeUri: 'file:///ws/a/m.pyx' }, { section: 'cythonLens', scopeUri: 'file:///ws/b/m.pyx' },
        { section: 'editor', scopeUri: 'file:///ws/a/m.pyx' }, { scopeUri: 'file:///ws/a/m.pyx' },
        { section: 'cythonLens', scopeUri: 'file:///ws/a/n.pyx' }],
      [{ pythonPath: '' }, { pythonPath: '' }, { tabSize: 4 }, { cythonLens: { includeDirs: [] } }, { pythonPath: '/set' }],
      lookup);
    assert.deepEqual(answer, [{ pythonPath: '/a/.venv/bin/python' }, { pythonPath: '' }, { tabSize: 4 },
      { cythonLens: { includeDirs: [], pythonPath: '/a/.venv/bin/python' } }, { pythonPath: '/set' }]);
    // the configured one and the other section were not looked up
    assert.deepEqual(asked, ['file:///ws/a/m.pyx', 'file:///ws/b/m.pyx', 'file:///ws/a/m.pyx']);
    const failing = await fillInterpreterAnswer([{ section: 'cythonLens' }], [{ pythonPath: '' }],
      () => Promise.reject(new Error('the extension failed')));
    assert.deepEqual(failing, [{ pythonPath: '' }]);
  });

  it('an untrusted workspace still gets no interpreter', async () => {
    const filled = await fillInterpreterAnswer([{ section: 'cythonLens' }], [{}], async () => '/env/bin/python');
    assert.deepEqual(restrictConfigurationAnswer([{ section: 'cythonLens' }], filled),
      [{ pythonPath: '', annotations: { exactMode: false } }]);
  });

  it('the server discovers the interpreter the client handed it', async () => {
    const python = path.join(REPO_ROOT, '.venv', 'bin', 'python');
    pair = new LspPair({ debounceMs: 5, features: [] });
    // what the client's middleware answers when the setting is empty and the Python extension names the venv
    pair.config = (scopeUri?: string) => withInterpreter({ pythonPath: '' }, scopeUri ? python : undefined);
    await pair.initialize({ workspace: { configuration: true } }, [{ uri: 'file:///tmp', name: 'tmp' }]);
    await pair.open('file:///tmp/interp.pyx', 'from libc.math cimport sqrt\n', 1);
    const log = await pair.waitFor((n) => n.method === 'window/logMessage'
      && /Python environment: /.test((n.params as { message: string }).message), 15000);
    assert.match((log.params as { message: string }).message, new RegExp(`Python environment: ${python.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, Cython 3`));
  });
});
