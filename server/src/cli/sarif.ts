/** SARIF 2.1.0 rendering of check results. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliFileReport } from './check-report';

const LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

export function toSarif(reports: CliFileReport[], toolVersion: string, cwd: string = process.cwd()): object {
  const ruleIds = new Set<string>();
  const results: object[] = [];
  for (const r of reports) {
    const rel = path.relative(cwd, path.resolve(r.file));
    const uri = rel.startsWith('..') || path.isAbsolute(rel) ? pathToFileURL(path.resolve(r.file)).href : rel.split(path.sep).join('/');
    for (const d of r.diagnostics) {
      ruleIds.add(d.code);
      results.push({
        ruleId: d.code,
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri },
              region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
            },
          },
        ],
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cython-lens',
            version: toolVersion,
            rules: [...ruleIds].sort().map((id) => ({ id })),
          },
        },
        results,
      },
    ],
  };
}
