/** Inputs that stress sizes and depths: 1 MB of code, 100k lines, 10k-deep brackets and blocks. */

export function oneMegabyte(): string {
  const unit = [
    'cdef double kernel(const double[:, ::1] X, Py_ssize_t n) noexcept nogil:',
    '    cdef Py_ssize_t i',
    '    cdef double acc = 0',
    '    for i in range(n):',
    '        acc += X[i, 0] * 2.0',
    '    return acc',
    '',
  ].join('\n');
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 1024 * 1024; i++) {
    const part = unit.replace('kernel', `kernel_${i}`);
    parts.push(part);
    size += part.length + 1;
  }
  return parts.join('\n');
}

export function hundredThousandLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++) lines.push(i % 10 === 0 ? `cdef int v${i} = ${i}` : `x${i % 97} = ${i}`);
  return `${lines.join('\n')}\n`;
}

export function deepBrackets(depth: number): string {
  return `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\ny = ${'['.repeat(depth)}${']'.repeat(depth)}\n`
    + `z = ${'{'.repeat(depth)}\n`; // and never closed
}

export function deepBlocks(depth: number): string {
  const lines = ['def f():'];
  for (let i = 1; i < depth; i++) lines.push(`${' '.repeat(i)}if x:`);
  lines.push(`${' '.repeat(depth)}with nogil:`, `${' '.repeat(depth + 1)}print(1)`);
  return `${lines.join('\n')}\n`;
}

export const ENORMOUS: readonly { name: string; make: () => string }[] = [
  { name: '1 MB of code', make: oneMegabyte },
  { name: '100k lines', make: hundredThousandLines },
  { name: '10k-deep brackets', make: () => deepBrackets(10_000) },
  { name: '2k-deep blocks', make: () => deepBlocks(2_000) },
];
