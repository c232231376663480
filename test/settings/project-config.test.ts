/**
 * The project's configuration (server/src/settings/project/): [tool.cython-lens] of pyproject.toml validated with
 * clear messages, `cython_args` of meson.build (scikit-learn's own meson files give its directives), cythonize()
 * options of setup.py (spaCy's real setup.py), the cache by mtime, and how it combines with the editor's settings.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCythonArgs } from '../../server/src/settings/project/cython-args';
import { compileGlob } from '../../server/src/settings/project/globs';
import { mesonCythonArgs } from '../../server/src/settings/project/meson-build';
import {
  applyProjectConfig, describeProjectConfig, nodeProjectFs, ProjectConfigs, type ProjectFs,
} from '../../server/src/settings/project/project-config';
import { readPyproject } from '../../server/src/settings/project/pyproject';
import { readSetupPy } from '../../server/src/settings/project/setup-py';
import { defaultSettings } from '../../server/src/settings/validate-settings';
import { corpusDir } from '../fuzz/real-files';

const directivesOf = (list: { value: [string, string] }[]): Record<string, string> =>
  Object.fromEntries(list.map((d) => d.value));

describe('[tool.cython-lens] in pyproject.toml', () => {
  const file = '/p/pyproject.toml';

  it('reads include dirs (relative to the file), directives, severity overrides, excludes and the interpreter', () => {
    const c = readPyproject(`
[project]
name = "x"

[tool.cython-lens]
include-dirs = ["src", "/abs/pxd"]
exclude = ["build/**", "*_gen.pyx"]
python-path = ".venv/bin/python"

[tool.cython-lens.directives]
boundscheck = false
language_level = 3
c_string_type = "str"

[tool.cython-lens.severity-overrides]
nogil-python-global = "warning"
`, file);
    assert.deepEqual(c.problems, []);
    assert.ok(c.present);
    assert.deepEqual(c.includeDirs.map((d) => d.value), ['/p/src', '/abs/pxd']);
    assert.deepEqual(directivesOf(c.directives), { boundscheck: 'False', language_level: '3', c_string_type: 'str' });
    assert.deepEqual(c.severityOverrides.map((s) => s.value), [['nogil-python-global', 'warning']]);
    assert.deepEqual(c.exclude.map((e) => e.value), ['build/**', '*_gen.pyx']);
    assert.equal(c.pythonPath?.value, '/p/.venv/bin/python');
  });

  it('says what is wrong, key by key, and keeps the rest', () => {
    const c = readPyproject(`
[tool.cython-lens]
include_dirs = ["src"]
exclude = "build"
python-path = 3
colour = "yes"

[tool.cython-lens.directives]
boundscheck = ["no"]
wraparound = false

[tool.cython-lens.severity-overrides]
nogil-python-global = "loud"
no-such-code = "off"
`, file);
    assert.deepEqual(directivesOf(c.directives), { wraparound: 'False' });
    const all = c.problems.join('\n');
    assert.match(all, /\/p\/pyproject\.toml \[tool\.cython-lens\]: unknown key "include_dirs" \(did you mean "include-dirs"\?\)/);
    assert.match(all, /exclude must be an array of strings \(got "build"\); ignored/);
    assert.match(all, /python-path must be a non-empty string \(got 3\)/);
    assert.match(all, /unknown key "colour"; the keys are include-dirs, directives, severity-overrides, exclude, python-path/);
    assert.match(all, /directives\.boundscheck must be a string, number or boolean \(got \["no"\]\)/);
    assert.match(all, /severity-overrides\.nogil-python-global must be one of error, warning, information, hint, off \(got "loud"\)/);
    assert.match(all, /"no-such-code" is not a diagnostic code of Cython Lens/);
    assert.equal(c.problems.length, 7);
  });

  it('a TOML syntax error is reported with its line when the file has the table; a wrong table name is named', () => {
    const broken = readPyproject('[tool.cython-lens]\ninclude-dirs = ["a"\n', file);
    assert.equal(broken.present, false);
    assert.match(broken.problems[0] ?? '', /^\/p\/pyproject\.toml:\d+:\d+: not valid TOML/);
    assert.deepEqual(readPyproject('[tool.black\n', file).problems, [], 'no table of ours: not our business');
    assert.match(readPyproject('[tool.cython_lens]\nexclude = []\n', file).problems[0] ?? '',
      /\[tool\.cython_lens\] is not read; the table is \[tool\.cython-lens\]/);
  });
});

describe('cython_args of a meson build', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-meson-'));
    fs.mkdirSync(path.join(dir, 'pkg', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'other'));
    fs.writeFileSync(path.join(dir, 'meson.build'), `project('x', 'c', 'cython')
cy = meson.get_compiler('cython')
flag = run_command('python3', '-c', 'print(1)', check: true).stdout().strip()
cython_args = ['-3', '-X boundscheck=False,wraparound=False', '--directive', 'cdivision=True']
cython_args += ['-X nonecheck=' + flag]   # computed: reported, not guessed
if cy.version().version_compare('>=3.1.0')
  cython_args += ['-Xfreethreading_compatible=True']
else
  cython_args += ['-X profile=True']
endif
if get_option('coverage')
  cython_args += ['--directive', 'linetrace=True']
endif
subdir('other')
subdir('pkg')
`);
    fs.writeFileSync(path.join(dir, 'other', 'meson.build'), "cython_args += ['-X embedsignature=True']\n");
    fs.writeFileSync(path.join(dir, 'pkg', 'meson.build'), `cython_args += [
  '--include-dir', meson.current_source_dir() / 'pxd',
  '-I', '@BUILD_ROOT@',
]
foreach name : ['a', 'b']
  cython_args += ['-X always_allow_keywords=True']
endforeach
subdir('sub')
`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('evaluates literals, +=, if on the Cython version and the subdirs on the way; computed values are notes', async () => {
    const result = await mesonCythonArgs(dir, path.join(dir, 'pkg', 'sub'), { read: nodeProjectFs.read });
    assert.deepEqual(result.files.map((f) => path.relative(dir, f)), ['meson.build', path.join('pkg', 'meson.build')],
      'other/ is not on the way to pkg/sub; pkg/sub has no meson.build');
    const args = readCythonArgs(result.cythonArgs ?? [], 'cython_args');
    assert.deepEqual(directivesOf(args.directives), {
      language_level: '3', boundscheck: 'False', wraparound: 'False', cdivision: 'True', freethreading_compatible: 'True',
    });
    assert.deepEqual(args.includeDirs.map((d) => d.value), [path.join(dir, 'pkg', 'pxd')]);
    assert.equal(args.directives.find((d) => d.value[0] === 'cdivision')?.origin.line, 4);
    const notes = [...result.notes, ...args.ignored].map((n) => `${path.relative(dir, n.origin.file)}:${n.origin.line}: ${n.message}`);
    assert.deepEqual(notes, [
      'meson.build:11: cython_args is changed under a condition Cython Lens cannot evaluate',
      "meson.build:5: the option `'-X nonecheck=' + flag` is computed by the build",
      `${path.join('pkg', 'meson.build')}:3: -I @BUILD_ROOT@ names a build-time path`,
    ]);
  });

  it("scikit-learn's own meson.build files give its build directives, each with its line", async () => {
    const root = path.join(corpusDir(), 'scikit-learn-1.9.1');
    const configs = new ProjectConfigs();
    const config = await configs.forFile(path.join(root, 'sklearn', 'cluster', '_k_means_lloyd.pyx'));
    assert.ok(config, 'scikit-learn has a pyproject.toml');
    assert.equal(config.root, root);
    assert.deepEqual(directivesOf(config.directives), {
      language_level: '3', wraparound: 'False', initializedcheck: 'False', nonecheck: 'False', cdivision: 'True',
      profile: 'False', freethreading_compatible: 'True',
    });
    const cdivision = config.directives.find((d) => d.value[0] === 'cdivision');
    assert.equal(path.relative(root, cdivision?.origin.file ?? ''), path.join('sklearn', 'meson.build'));
    const lines = describeProjectConfig(config);
    assert.ok(lines.some((l) => /directive cdivision=True {2}\(sklearn\/meson\.build:\d+: -X cdivision=True in cython_args\)/.test(l)),
      lines.join('\n'));
    // boundscheck comes from an environment variable at build time: said, not guessed
    assert.ok(config.notes.some((n) => /sklearn\/meson\.build:\d+: the option `'-X boundscheck=' \+ boundscheck` is computed/.test(n)),
      config.notes.join('\n'));
  });
});

describe('cythonize() options of setup.py', () => {
  it('literal dicts, dict(), names bound to literals, include_path; computed entries are notes', () => {
    const r = readSetupPy(`
from Cython.Build import cythonize
import sys
DIRECTIVES = {
    "language_level": -3,
    'embedsignature': True,
    "profile": sys.version_info < (3, 12),
}
ext = cythonize(exts, compiler_directives=DIRECTIVES, include_path=["src/pxd", 'third_party'], nthreads=4)
more = cythonize("b/*.pyx", compiler_directives=dict(cdivision=True, binding="False"))
dyn = cythonize(x, compiler_directives=make_directives())
`, '/p/setup.py');
    assert.equal(r.calls, 3);
    assert.deepEqual(directivesOf(r.directives), { language_level: '-3', embedsignature: 'True', cdivision: 'True', binding: 'False' });
    assert.deepEqual(r.directives.map((d) => d.origin.line), [5, 6, 10, 10]);
    assert.deepEqual(r.includePath.map((p) => p.value), ['src/pxd', 'third_party']);
    assert.deepEqual(r.ignored.map((i) => `${i.origin.line}: ${i.message}`), [
      '7: compiler_directives "profile": sys.version_info < (3, 12) is computed by the script',
      '11: compiler_directives=make_directives() is not a literal dict',
    ]);
  });

  it('strings with escapes, raw/byte/f-strings, triple quotes, comments and continuations read as Python does', () => {
    const r = readSetupPy(`
# cythonize(compiler_directives={"in_a_comment": True})
NOTE = """a "cythonize(" in a
docstring"""
café = f"{x}" + b'y'
INC = [r"a/b", 'c\\'d', "e\\
f", 'g' "h"]
ext = cythonize(exts, \\
    compiler_directives={'binding': 'x\\ty', u"c_api_binop_methods": False, 'x': f"{1}", 'y': b"2"},
    include_path=INC)
`, '/p/setup.py');
    assert.equal(r.calls, 1);
    assert.deepEqual(directivesOf(r.directives), { binding: 'x\ty', c_api_binop_methods: 'False' });
    assert.deepEqual(r.directives.map((d) => d.origin.line), [9, 9]);
    assert.deepEqual(r.includePath.map((p) => p.value), ['a/b', "c'd", 'ef', 'gh']);
    assert.deepEqual(r.includePath.map((p) => p.origin.line), [6, 6, 6, 7]);
    assert.deepEqual(r.ignored.map((i) => `${i.origin.line}: ${i.message}`), [
      '9: compiler_directives "x": f"{1}" is computed by the script',
      '9: compiler_directives "y": b"2" is computed by the script',
    ]);
  });

  it('raw strings keep their backslashes; other escapes as Python reads them', () => {
    const r = readSetupPy(String.raw`
ext = cythonize(exts, include_path=[r"C:\inc\new", R'a\'b', r'''x\y''', "\d\x41\u00e9\101\q", 'p\\q'])
`, '/p/setup.py');
    assert.deepEqual(r.includePath.map((p) => p.value), [String.raw`C:\inc\new`, String.raw`a\'b`, String.raw`x\y`,
      String.raw`\dAéA\q`, String.raw`p\q`]);
  });

  it('a text that ends inside a cythonize( call or a string never throws', () => {
    for (const text of ['cythonize(compiler_directives=', 'cythonize(include_path=', 'cythonize(x, include_path=["a',
      'X = {"a": """', 'cythonize(compiler_directives={"a": 1,', 'cythonize(compiler_directives=dict(a=']) {
      assert.doesNotThrow(() => readSetupPy(text, '/p/setup.py'), text);
    }
  });

  it("spaCy's real setup.py gives its directives", async () => {
    const root = path.join(corpusDir(), 'spacy-3.8.18');
    const config = await new ProjectConfigs().forFile(path.join(root, 'spacy', 'tokens', 'doc.pyx'));
    assert.deepEqual(directivesOf(config?.directives ?? []), { language_level: '-3', embedsignature: 'True', annotation_typing: 'False' });
  });
});

describe('ProjectConfigs: found by walking up, kept by mtime, combined with the editor settings', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cython-lens-project-'));
    fs.mkdirSync(path.join(dir, 'src', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), `[tool.cython-lens]
include-dirs = ["include"]
exclude = ["src/gen/**", "*_skip.pyx"]
[tool.cython-lens.directives]
boundscheck = false
cdivision = true
[tool.cython-lens.severity-overrides]
nogil-python-global = "warning"
`);
    fs.writeFileSync(path.join(dir, 'meson.build'), "cython_args = ['-X boundscheck=True', '-X wraparound=False']\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('[tool.cython-lens] wins over the build; the editor (or -X, -I) wins over both; excludes match', async () => {
    const configs = new ProjectConfigs();
    const file = path.join(dir, 'src', 'pkg', 'm.pyx');
    const config = await configs.forFile(file);
    assert.equal(config?.root, dir);
    const editor = defaultSettings();
    editor.includeDirs = ['/editor/include'];
    editor.directives = { cdivision: 'False' };
    const s = applyProjectConfig(editor, config, file, ['/workspace']);
    assert.deepEqual(s.includeDirs, ['/editor/include', path.join(dir, 'include'), dir, '/workspace']);
    assert.deepEqual(s.directives, { boundscheck: 'False', wraparound: 'False', cdivision: 'False' });
    assert.deepEqual(s.severityOverrides, { 'nogil-python-global': 'warning' });
    assert.equal(s.excludedBy, undefined);
    assert.match(applyProjectConfig(editor, config, path.join(dir, 'src', 'gen', 'x.pyx')).excludedBy ?? '',
      /excluded by "src\/gen\/\*\*" in pyproject\.toml \[tool\.cython-lens\]/);
    assert.ok(applyProjectConfig(editor, config, path.join(dir, 'src', 'pkg', 'a_skip.pyx')).excludedBy);
  });

  it('reads each file once while its mtime stays, again when it changes; not above the workspace folder', async () => {
    let reads = 0;
    let stats = 0;
    let clock = 0;
    const fsCount: ProjectFs = {
      mtime: (f) => { stats++; return nodeProjectFs.mtime(f); },
      read: (f) => { reads++; return nodeProjectFs.read(f); },
    };
    const configs = new ProjectConfigs({ fs: fsCount, now: () => clock });
    const file = path.join(dir, 'src', 'pkg', 'm.pyx');
    await configs.forFile(file);
    const first = reads;
    assert.ok(first >= 2, 'pyproject.toml and meson.build');
    const statsBefore = stats;
    await configs.forFile(path.join(dir, 'src', 'pkg', 'other.pyx'));
    assert.equal(stats, statsBefore, 'another file of the same folder, at once: nothing is looked at');
    configs.invalidate();
    await configs.forFile(file);
    assert.equal(reads, first, 'unchanged files are not read again');
    assert.ok(stats > statsBefore, 'after invalidate() the mtimes are looked at');
    const py = path.join(dir, 'pyproject.toml');
    fs.writeFileSync(py, `${fs.readFileSync(py, 'utf8')}\n`);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(py, later, later);
    clock += 10_000; // later: the folder's files are looked at again
    const again = await configs.forFile(file);
    assert.equal(reads, first + 1, 'only the changed file is read again');
    assert.equal(again?.root, dir);
    assert.equal(await configs.forFile(file, path.join(dir, 'src')), undefined, 'the walk stops at the workspace folder');
  });

  it('globs: unanchored names match at any depth, anchored ones from the root, folders exclude their files', () => {
    const m = (g: string, p: string): boolean => compileGlob(g)(p);
    assert.ok(m('build', 'a/build/x.pyx'));
    assert.ok(m('*_gen.pyx', 'a/b/c_gen.pyx'));
    assert.ok(!m('*_gen.pyx', 'a/b/c_gen.pyx.in'));
    assert.ok(m('src/gen/**', 'src/gen/a/b.pyx'));
    assert.ok(!m('src/gen/**', 'other/src/gen/b.pyx'));
    assert.ok(m('src/**/t_*.pyx', 'src/t_1.pyx'));
    assert.ok(m('src/**/t_*.pyx', 'src/a/b/t_1.pyx'));
    assert.ok(m('tests/', 'tests/x.pyx'));
    assert.ok(!m('tests', 'mytests/x.pyx'));
  });
});
