#!/usr/bin/env node
// The what-if predictions of the annotator (server/src/annotations/what-if.ts) for whole files, as
// conformance/whatif.py compares them with `cython -a -X <directive>`: per file, its functions (rows), the line
// scores as they are, and the line scores with each what-if directive set in the file header (rescoredModule, the
// same re-scoring the hover and the quick fix use).
//
//   node scripts/whatif-predict.mjs JOBS.json > PREDICTIONS.json
//   JOBS.json: [{"path", "include_dirs": [...], "directives": {"name": "value"}}]
//   output: [{"path", "functions": [{"name", "first", "last"}], "base": [{"line", "score"}],
//            "after": {"boundscheck=False": [{"line", "score"}], ...}}]   (lines 1-based, only scores > 0)
import { bundleAndLoad } from './lib/node-bundle.mjs';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = join(tmpdir(), 'cython-lens-whatif-predict');
mkdirSync(out, { recursive: true });
const lib = await bundleAndLoad(`export { Engine } from './server/src/engine/engine';
      export { documentModel } from './server/src/model/document-model';
      export { rescoredModule, moduleFunctions, WHAT_IF_DIRECTIVES } from './server/src/annotations/what-if';
      export { directivesFromEntries } from './server/src/annotations/directives';
      export { defaultSettings } from './server/src/settings/validate-settings';`, out);

const oneBased = (annotations) => annotations.map((a) => ({ line: a.line + 1, score: a.score }));
const results = [];
for (const job of jobs) {
  let result;
  const annotator = {
    id: 'whatif',
    forget() {},
    annotate(doc, ctx) {
      const model = lib.documentModel(ctx.session, doc, ctx.settings.includeDirs, ctx.settings.directives);
      const build = lib.directivesFromEntries(ctx.settings.directives ?? {});
      const root = doc.tree.rootNode;
      const after = {};
      for (const d of lib.WHAT_IF_DIRECTIVES) {
        after[`${d.name}=${d.value ? 'True' : 'False'}`] = oneBased(lib.rescoredModule(model, root, doc.text, build, { [d.name]: d.value }));
      }
      result = {
        path: job.path,
        functions: lib.moduleFunctions(root).map((f) => ({ name: f.name, first: f.first + 1, last: f.last + 1 })),
        base: oneBased(lib.rescoredModule(model, root, doc.text, build, {})),
        after,
      };
      return [];
    },
  };
  const engine = await lib.Engine.create({ checks: [], annotators: [annotator], log: () => {}, timeBudgetMs: 120000 });
  const uri = pathToFileURL(job.path).href;
  engine.open(uri, readFileSync(job.path, 'utf8'));
  const settings = lib.defaultSettings();
  settings.includeDirs = job.include_dirs;
  settings.directives = job.directives ?? {};
  engine.analyze(uri, settings);
  engine.dispose();
  if (result) results.push(result);
}
process.stdout.write(JSON.stringify(results));
