/** The text of the compiler's exception-check performance hint (PyrexTypes.write_noexcept_performance_hint). */
export function noexceptHintText(options: { functionName?: string; voidReturn: boolean; isCall: boolean;
  isFromPxd: boolean }): string {
  const fname = options.functionName ? `'${options.functionName}'` : undefined;
  const onWhat = options.isCall ? `after calling ${fname ?? 'function'} ` : fname ? `on ${fname} ` : '';
  let msg = `Exception check ${onWhat}will always require the GIL to be acquired.`;
  let theFunction = fname ?? 'the function';
  if (options.isCall && !fname) theFunction += ' you are calling';
  const solutions = [`Declare ${theFunction} as 'noexcept' if you control the definition and you're sure you don't `
    + 'want the function to raise exceptions.'];
  if (options.voidReturn) {
    solutions.push(`Use an 'int' return type on ${theFunction} to allow an error code to be returned.`);
  }
  if (options.isFromPxd && !options.voidReturn) {
    solutions.push('Declare any exception value explicitly for functions in pxd files.');
  }
  if (solutions.length === 1) return `${msg} ${solutions[0]}`;
  msg += '\nPossible solutions:\n' + solutions.map((s, i) => `\t${i + 1}. ${s}`).join('\n');
  return msg;
}
