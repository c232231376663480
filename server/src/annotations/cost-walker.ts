/**
 * The one walker of the static `cython -a` estimate (as checks/gil/gil-walker.ts is for the GIL rules): it owns the
 * recursion. The per-node cost functions (expressions, calls, statements, definitions) evaluate their children
 * through `env.walk`, so none of them imports another one back.
 */
import type { CType } from '../model/c-types';
import type { ExprInfo } from '../model/expression-types';
import type { Node } from '../model/syntax';
import { callCost } from './call-cost';
import { convert } from './conversion-cost';
import type { CostEnv, CostWalk } from './cost-env';
import { definitionCost } from './definition-cost';
import { conditionCost, expressionCost } from './expression-cost';
import { positionLine } from './expression-info';
import { blockCost, statementCost } from './statement-cost';

export class CostWalker implements CostWalk {
  /** After the sub-expressions, the compiler's position is the node's own (ExprNode.generate_evaluation_code). */
  expr(node: Node, env: CostEnv): ExprInfo {
    const info = expressionCost(node, env);
    const line = positionLine(node);
    if (line !== undefined) env.sink.mark(line);
    return info;
  }

  exprTo(node: Node, to: CType, env: CostEnv): ExprInfo {
    const info = this.expr(node, env);
    convert(node, info, to, env);
    return info;
  }

  condition(node: Node, env: CostEnv): void {
    conditionCost(node, env);
  }

  call(node: Node, info: ExprInfo, env: CostEnv): void {
    callCost(node, info, env);
  }

  statement(node: Node, env: CostEnv): void {
    statementCost(node, env);
  }

  block(node: Node | null, env: CostEnv): void {
    blockCost(node, env);
  }

  definition(node: Node, env: CostEnv): void {
    definitionCost(node, env);
  }
}
