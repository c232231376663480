/** A Python `import` without the GIL. */
import { type GilRule, notAllowedWithoutGil } from './rule';

export const pythonImport: GilRule = {
  code: 'nogil-python-import',
  nodeTypes: ['import_statement', 'import_from_statement'],
  when: 'nogil',
  check(node, ctx) {
    ctx.report(node, notAllowedWithoutGil('Python import'));
  },
};
