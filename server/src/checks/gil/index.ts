/**
 * Every GIL rule, in the order the compiler would report them for one node. Adding a rule: its own file here, its
 * fixture in fixtures/, one line in this list and its row in shared/src/diagnostic-codes.ts (README: Adding a rule).
 */
import { coercionFromPython } from './coercion-from-python';
import { discardedPythonObject } from './discarded-python-object';
import { exceptionCheckAfterCall } from './exception-check-after-call';
import { exceptionCheckOnDefinition } from './exception-check-on-definition';
import { forLoopObjectBounds } from './for-loop-object-bounds';
import { gilRequiringCall } from './gil-requiring-call';
import { gilTransitionInLoop } from './gil-transition-in-loop';
import { nogilBeforeExceptionClause } from './nogil-before-exception-clause';
import { nogilFunctionPythonLocals } from './nogil-function-python-locals';
import { nogilFunctionPythonReturn } from './nogil-function-python-return';
import { nonConstantGilCondition } from './non-constant-gil-condition';
import { pythonAssignment } from './python-assignment';
import { pythonAttributeAccess } from './python-attribute-access';
import { pythonContainerConstruction } from './python-container-construction';
import { pythonConversion } from './python-conversion';
import { pythonDeletion } from './python-deletion';
import { pythonFunctionConstruction } from './python-function-construction';
import { pythonFunctionDeclaredNogil } from './python-function-declared-nogil';
import { pythonGlobalAccess } from './python-global-access';
import { pythonImport } from './python-import';
import { pythonIndexing } from './python-indexing';
import { pythonIteration } from './python-iteration';
import { pythonOperation } from './python-operation';
import { pythonReturn } from './python-return';
import { pythonTruthTest } from './python-truth-test';
import { redundantGilTransition } from './redundant-gil-transition';
import { stringFormatting } from './string-formatting';
import { tryExcept } from './try-except';
import { complexNumberConstruction } from './complex-number-construction';
import { pythonTypeTest } from './python-type-test';
import { temporaryPythonReference } from './temporary-python-reference';
import { bufferAcquisition } from './buffer-acquisition';
import { parallelPythonArguments } from './parallel-python-arguments';
import { untypedIndex } from './untyped-index';
import { boundscheckHint } from './boundscheck-hint';
import { functionPointerAssignment } from './function-pointer-assignment';
import { criticalSectionGil } from './critical-section-gil';
import { exceptionClauseValidity } from './exception-clause-validity';
import { pythonRaise } from './python-raise';
import { pythonContextManager } from './python-context-manager';
import { cPropertySetterException } from './c-property-setter-exception';
import { cppConstructorBaseGil } from './cpp-constructor-base-gil';
import { parallelWithoutNogil } from './parallel-without-nogil';
import { prangeOutsideFor } from './prange-outside-for';
import { noexceptPythonReturn } from './noexcept-python-return';
import { nogilFunctionCast } from './nogil-function-cast';
import { implicitNoexcept } from './implicit-noexcept';
import { incompleteClassLayout } from './incomplete-class-layout';
import { backquoteExpression } from './backquote-expression';
import type { GilRule } from './rule';

export const gilRules: readonly GilRule[] = [
  nogilFunctionPythonReturn, nogilFunctionPythonLocals, pythonFunctionDeclaredNogil, nogilBeforeExceptionClause,
  exceptionCheckOnDefinition, nonConstantGilCondition, redundantGilTransition, gilTransitionInLoop,
  discardedPythonObject, pythonAssignment, gilRequiringCall, pythonGlobalAccess, pythonAttributeAccess,
  pythonContainerConstruction, pythonFunctionConstruction, pythonIndexing, pythonIteration, forLoopObjectBounds,
  pythonConversion, coercionFromPython, pythonDeletion, pythonReturn, tryExcept, pythonTruthTest, stringFormatting,
  pythonImport, pythonOperation, complexNumberConstruction, pythonTypeTest, temporaryPythonReference,
  parallelPythonArguments, bufferAcquisition, exceptionCheckAfterCall, untypedIndex, boundscheckHint, functionPointerAssignment,
  criticalSectionGil, exceptionClauseValidity, pythonRaise, cPropertySetterException, cppConstructorBaseGil,
  parallelWithoutNogil, prangeOutsideFor, noexceptPythonReturn, nogilFunctionCast, implicitNoexcept,
  incompleteClassLayout, pythonContextManager, backquoteExpression,
];
