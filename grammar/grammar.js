/**
 * @file Cython grammar for tree-sitter, extending tree-sitter-python 0.25.0.
 * @license MIT
 *
 * Node names and fields are a contract with the semantic model: see docs/grammar-contract.md.
 *
 * Design: C declarations are only parsed where Cython allows them (after cdef/cpdef/ctypedef, inside `cdef:`
 * blocks, extern blocks, struct/cppclass bodies and in parameter lists), so ordinary Python keeps parsing as
 * tree-sitter-python parses it. Words such as `nogil`, `struct` or `const` are contextual keywords: the lexer
 * only treats them as keywords where the grammar expects them.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const python = require('tree-sitter-python/grammar');

const PREC = Object.assign({}, python.PREC || {}, {
  unary: 20,
  call: 22,
  cast: 20,
});

const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)));

module.exports = grammar(python, {
  name: 'cython',

  externals: ($, previous) => previous,

  conflicts: ($, previous) => previous.concat([
    // `with cython.nogil:` vs a with-item expression `with cython.x:`.
    [$.primary_expression, $.with_nogil_statement, $.with_gil_statement],
    // `cdef T *f(...)` (function returning a pointer) vs `cdef T *p` (pointer variable): decided at `(`.
    [$._c_type_no_pointer_inner, $.c_type],
    // `T[`: template arguments, memoryview axes or (in parameters) an abstract array declarator.
    [$._c_type_no_pointer_inner, $.memoryview_type],
    // `T name[N]` (array declarator) vs `T name[U](...)` (template function).
    [$.primary_expression, $.template_parameters],
    // `cdef f(...)` (function) vs `cdef T (*fp)(...)` (function pointer variable).
    [$._c_function_head, $._c_type_name],
    [$._c_body_function_head, $._c_type_name],
    // `sizeof(T)` vs `sizeof(expression)`.
    [$.primary_expression, $._c_dotted_name],
    [$.primary_expression, $._c_type_name],
    // `def f((int, double) t)` (ctuple parameter) vs `def f((a, b))` (tuple pattern).
    [$.pattern, $._c_type_name],
    [$.pattern, $.primary_expression, $._c_type_name],
    // `x: T[...]` annotation: a Python generic / subscript, or a typed memoryview `double[:, ::1]`.
    [$.primary_expression, $.generic_type, $._annotation_c_type],
    // Cython+: `cdef lock A a` (a qualifier) vs `cdef lock x` (a type named lock).
    [$._cypclass_qualifier, $._c_type_name],
  ]),

  supertypes: ($, previous) => previous,

  // `as` is not a Cython keyword: C struct fields are named `as` (numpy's npy_datetimestruct) and read as `d.as`.
  // Where `as` is expected (import/with/except) it still lexes as the keyword.
  reserved: {
    global: (_, previous) => previous.filter((rule) => rule.value !== 'as'),
  },

  inline: ($, previous) => previous.concat([
    $._c_declaration_statement,
    $._c_return_type,
  ]),

  rules: {
    // ------------------------------------------------------------------ statements

    _simple_statement: ($, previous) => choice(
      previous,
      $.cimport_statement,
      $.cimport_from_statement,
      $.include_statement,
      $.compile_time_definition,
      $.cdef_statement,
      $.c_function_declaration,
      $.ctypedef_statement,
    ),

    _compound_statement: ($, previous) => choice(
      previous,
      $.c_function_definition,
      $.cdef_block,
      $.extern_block,
      $.struct_definition,
      $.enum_definition,
      alias($._ctypedef_compound, $.ctypedef_statement),
      $.fused_type_definition,
      $.cdef_class_definition,
      $.cypclass_definition,
      $.cppclass_definition,
      $.property_definition,
      $.with_nogil_statement,
      $.with_gil_statement,
      $.with_locked_statement,
      $.for_from_statement,
      $.compile_time_if_statement,
    ),

    decorated_definition: $ => seq(
      repeat1($.decorator),
      field('definition', choice(
        $.class_definition,
        $.function_definition,
        $.c_function_definition,
        $.cdef_class_definition,
        $.cypclass_definition,
        $._decorated_c_function_declaration,
      )),
    ),

    _decorated_c_function_declaration: $ => seq($.c_function_declaration, $._newline),

    // cimport a.b as c, d
    cimport_statement: $ => seq(
      'cimport',
      commaSep1(field('name', choice($.dotted_name, $.aliased_import))),
      optional(','),
    ),

    // from a.b cimport x as y, z
    cimport_from_statement: $ => seq(
      'from',
      field('module_name', choice($.relative_import, $.dotted_name)),
      'cimport',
      choice(
        $.wildcard_import,
        seq(commaSep1(field('name', choice($.dotted_name, $.aliased_import))), optional(',')),
        seq('(', commaSep1(field('name', choice($.dotted_name, $.aliased_import))), optional(','), ')'),
      ),
    ),

    include_statement: $ => seq('include', field('path', $.string)),

    compile_time_definition: $ => seq(
      'DEF',
      field('name', $.identifier),
      '=',
      field('value', $.expression),
    ),

    compile_time_if_statement: $ => seq(
      'IF',
      field('condition', $.expression),
      ':',
      field('consequence', $._suite),
      repeat(field('alternative', $.compile_time_elif_clause)),
      optional(field('alternative', $.compile_time_else_clause)),
    ),

    compile_time_elif_clause: $ => seq(
      'ELIF',
      field('condition', $.expression),
      ':',
      field('consequence', $._suite),
    ),

    compile_time_else_clause: $ => seq(
      'ELSE',
      ':',
      field('body', $._suite),
    ),

    // IF/ELIF/ELSE inside extern blocks and other C bodies: the branches hold C declarations.
    _c_compile_time_if_statement: $ => prec.right(seq(
      'IF',
      field('condition', $.expression),
      ':',
      field('consequence', $._c_suite),
      repeat(field('alternative', alias($._c_compile_time_elif_clause, $.compile_time_elif_clause))),
      optional(field('alternative', alias($._c_compile_time_else_clause, $.compile_time_else_clause))),
    )),

    _c_compile_time_elif_clause: $ => seq('ELIF', field('condition', $.expression), ':', field('consequence', $._c_suite)),
    _c_compile_time_else_clause: $ => seq('ELSE', ':', field('body', $._c_suite)),

    // with nogil: / with cython.nogil: / with nogil(flag):
    with_nogil_statement: $ => prec.dynamic(10, seq(
      'with',
      choice('nogil', seq($.identifier, '.', 'nogil')),
      optional(seq('(', optional(field('condition', $.expression)), ')')),
      repeat(seq(',', $.with_item)),
      ':',
      field('body', $._suite),
    )),

    // with gil: / with cython.gil: / with gil(flag): / with gil, lock: (later items are entered with the GIL held)
    with_gil_statement: $ => prec.dynamic(10, seq(
      'with',
      choice('gil', seq($.identifier, '.', 'gil')),
      optional(seq('(', optional(field('condition', $.expression)), ')')),
      repeat(seq(',', $.with_item)),
      ':',
      field('body', $._suite),
    )),

    // for i from 0 <= i < n by 2:
    for_from_statement: $ => seq(
      'for',
      $._for_from_range,
      ':',
      field('body', $._suite),
      optional(field('alternative', $.else_clause)),
    ),

    _for_from_range: $ => choice(
      seq(
        field('target', $.identifier),
        'from',
        field('lower', $.primary_expression),
        choice('<', '<=', '>', '>='),
        $.identifier,
        choice('<', '<=', '>', '>='),
        field('upper', $.primary_expression),
        optional(seq('by', field('step', $.primary_expression))),
      ),
      seq(
        field('lower', $.primary_expression),
        choice('<', '<=', '>', '>='),
        field('target', $.identifier),
        choice('<', '<=', '>', '>='),
        field('upper', $.primary_expression),
        optional(seq('by', field('step', $.primary_expression))),
      ),
    ),

    // Unpacking in comprehensions (PEP 798, Python 3.15; Parsing.p_list_maker / p_dict_or_set_maker accept it):
    //   [*xs for xs in rows], {*xs for xs in rows}, (*xs for xs in rows), {**m for m in maps}
    list_comprehension: $ => seq('[', field('body', choice($.expression, $.list_splat)), $._comprehension_clauses, ']'),
    set_comprehension: $ => seq('{', field('body', choice($.expression, $.list_splat)), $._comprehension_clauses, '}'),
    generator_expression: $ => seq('(', field('body', choice($.expression, $.list_splat)), $._comprehension_clauses, ')'),
    dictionary_comprehension: $ => seq('{', field('body', choice($.pair, $.dictionary_splat)), $._comprehension_clauses, '}'),

    // Literal patterns with a unary plus (`case +1:`, `case 0.25 - +1.75j:`), which Cython's parser accepts.
    _simple_pattern: $ => prec(1, choice(
      $.class_pattern,
      $.splat_pattern,
      $.union_pattern,
      alias($._list_pattern, $.list_pattern),
      alias($._tuple_pattern, $.tuple_pattern),
      $.dict_pattern,
      $.string,
      $.concatenated_string,
      $.true,
      $.false,
      $.none,
      seq(optional(choice('-', '+')), choice($.integer, $.float)),
      $.complex_pattern,
      $.dotted_name,
      '_',
    )),

    complex_pattern: $ => prec(1, seq(
      optional(choice('-', '+')),
      choice($.integer, $.float),
      choice('+', '-'),
      optional('+'),
      choice($.integer, $.float),
    )),

    // [x[i] for i from 0 <= i < n]
    for_from_clause: $ => seq('for', $._for_from_range),

    _comprehension_clauses: $ => seq(
      choice($.for_in_clause, $.for_from_clause),
      repeat(choice($.for_in_clause, $.for_from_clause, $.if_clause)),
    ),

    property_definition: $ => seq(
      'property',
      field('name', $.identifier),
      ':',
      field('body', $._suite),
    ),

    // Annotations may be typed memoryviews, which Python's subscript syntax cannot express when an axis starts
    // with `:`: `def f(x: double[:, :]) -> double[:, ::1]:`, `y: float[:] = ...`. Where the text is also a Python
    // generic (`a[x:y]`), the Python reading wins.
    type: ($, previous) => choice(previous, prec.dynamic(-1, alias($._annotation_memoryview_type, $.memoryview_type))),

    // As Cython reads an annotation: an expression, so the element type is a (dotted) name (`cython.double[:]`).
    _annotation_memoryview_type: $ => seq(
      field('element', alias($._annotation_c_type, $.c_type)),
      '[',
      commaSep1($.memoryview_axis),
      optional(','),
      ']',
    ),
    _annotation_c_type: $ => prec(1, field('name', choice($.identifier, alias($._c_dotted_name, $.dotted_name)))),

    // Python `def` gains C-typed parameters and exception/GIL specs (`def __getbuffer__(self, Py_buffer *b, int f) noexcept:`).
    function_definition: $ => seq(
      optional('async'),
      'def',
      field('name', $.identifier),
      field('type_parameters', optional($.type_parameter)),
      field('parameters', $.parameters),
      repeat($._c_function_spec),
      optional(seq('->', field('return_type', $.type))),
      ':',
      field('body', $._suite),
    ),

    // Parameters of a Python `def` (not of a lambda) may be C-typed.
    parameters: $ => seq(
      '(',
      optional(seq(
        commaSep1(choice(
          $.parameter,
          alias($._def_c_parameter, $.c_parameter),
          alias($._def_untyped_c_parameter, $.c_parameter),
          // C type words are plain names in Python parameter lists: `def f(long=False)`.
          alias($._c_word, $.identifier),
          alias($._c_word_default_parameter, $.default_parameter),
        )),
        optional(','),
      )),
      ')',
    ),

    // C-typed parameter of a Python `def`: the declarator (name) is required there.
    _def_c_parameter: $ => seq(
      field('type', choice(alias($._c_type_no_pointer_inner, $.c_type), $.memoryview_type, $.ctuple_type, alias($._parenthesized_c_type, $.c_type))),
      field('declarator', alias($._c_named_param_declarator, $.c_declarator)),
      optional(choice($.not_none, $.or_none)),
      optional(seq(':', field('annotation', $.type))),
      optional(seq('=', field('default', $.expression))),
    ),

    // Typed lambda parameters: `lambda int x: x + 1`.
    lambda_parameters: $ => seq(
      commaSep1(choice($.parameter, alias($._lambda_c_parameter, $.c_parameter))),
      optional(','),
    ),

    _lambda_c_parameter: $ => seq(
      field('type', alias($._c_type_no_pointer_inner, $.c_type)),
      field('declarator', alias($._c_named_param_declarator, $.c_declarator)),
      optional(seq('=', field('default', $.expression))),
    ),

    _c_word: _ => choice('long', 'short', 'signed', 'unsigned', 'const', 'volatile', 'lock', 'locked', 'iso', 'active'),
    _c_word_default_parameter: $ => seq(
      field('name', alias($._c_word, $.identifier)),
      '=',
      field('value', $.expression),
    ),

    // `def f(o or None)`, `def f(o not None)`
    _def_untyped_c_parameter: $ => seq(
      field('name', $.identifier),
      choice($.not_none, $.or_none),
      optional(seq('=', field('default', $.expression))),
    ),

    _c_named_param_declarator: $ => seq(
      repeat($._pointer_or_reference),
      field('name', $.identifier),
      repeat($.array_declarator),
    ),

    // ------------------------------------------------------------------ cdef / cpdef / ctypedef

    // cdef [public|readonly|api|extern|static] TYPE d1 [= v], d2
    cdef_statement: $ => seq('cdef', $.c_variable_declaration),

    c_variable_declaration: $ => choice(
      seq(
        optional(field('visibility', $._modifiers)),
        field('type', choice(alias($._c_type_no_pointer_inner, $.c_type), $.memoryview_type, $.ctuple_type, alias($._parenthesized_c_type, $.c_type))),
        commaSep1(field('declarator', $.c_declarator)),
        // Cython accepts a trailing comma before the end of the line (Parsing.p_c_func_or_var_declaration).
        optional(','),
      ),
      // Untyped (object) declarations: `cdef x`, `cdef __cythonbufferdefaults__ = {...}`, `cdef foo,`.
      seq(
        optional(field('visibility', $._modifiers)),
        commaSep1(field('declarator', alias($._untyped_declarator, $.c_declarator))),
        optional(','),
      ),
    ),

    // One modifier list shared by every cdef/cpdef/ctypedef form, so that the parser need not choose before the
    // construct is known; the parent names it `visibility` (variables) or `modifier` (functions, classes...).
    _modifiers: _ => repeat1(choice('public', 'readonly', 'api', 'extern', 'inline', 'static', 'packed')),

    _untyped_declarator: $ => seq(
      field('name', $.identifier),
      optional(seq('=', field('value', $.expression))),
    ),

    // cdef: + indented declarations; `cdef nogil:` / `cdef public nogil:` make the functions inside nogil
    cdef_block: $ => seq(
      'cdef',
      optional(field('modifier', $._modifiers)),
      optional(field('gil_spec', alias('nogil', $.gil_spec))),
      ':',
      field('body', $._c_suite),
    ),

    _c_function_head: $ => seq(
      optional(field('modifier', $._modifiers)),
      optional(choice(
        field('return_type', $._c_return_type),
        // `cdef (int (*)()) f():` a function pointer return type
        seq('(', field('return_type', $._c_type_or_function), ')'),
        // `cdef (int*) f(x)`, `cdef (m.T* ) f(x)`: the parenthesized base type of declarations (its text keeps
        // the parentheses)
        field('return_type', alias($._parenthesized_c_type, $.c_type)),
      )),
      optional(field('calling_convention', $.calling_convention)),
      field('name', choice($.identifier, $.operator_name)),
      optional(field('cname', $.string)),
      optional(field('template_parameters', $.template_parameters)),
      field('parameters', $.c_parameters),
      repeat($._c_function_spec),
    ),


    _c_return_type: $ => choice($.c_type, $.memoryview_type, $.ctuple_type),

    _c_function_spec: $ => choice(
      field('exception_spec', $.exception_spec),
      field('noexcept', $.noexcept),
      field('gil_spec', $.gil_spec),
      'const',
    ),

    c_function_definition: $ => seq(
      field('kind', choice('cdef', 'cpdef')),
      $._c_function_head,
      ':',
      field('body', $._suite),
    ),

    c_function_declaration: $ => seq(
      field('kind', choice('cdef', 'cpdef')),
      $._c_function_head,
    ),

    // Inside C bodies (extern blocks, cdef: blocks, cppclass bodies): no leading cdef.
    // In extern blocks and cppclass bodies a lone name in a parameter list is a type: `void f(int, Foo)`.
    _c_body_function_head: $ => seq(
      optional(field('modifier', $._modifiers)),
      optional(choice(
        field('return_type', $._c_return_type),
        // `cdef (int (*)()) f():` a function pointer return type
        seq('(', field('return_type', $._c_type_or_function), ')'),
        // `cdef (int*) f(x)`, `cdef (m.T* ) f(x)`: the parenthesized base type of declarations (its text keeps
        // the parentheses)
        field('return_type', alias($._parenthesized_c_type, $.c_type)),
      )),
      optional(field('calling_convention', $.calling_convention)),
      field('name', choice($.identifier, $.operator_name)),
      optional(field('cname', $.string)),
      optional(field('template_parameters', $.template_parameters)),
      field('parameters', alias($._c_type_first_parameters, $.c_parameters)),
      repeat($._c_function_spec),
    ),
    _c_body_function_declaration: $ => seq($._c_body_function_head, optional(seq('=', '0'))),
    _c_body_function_definition: $ => seq($._c_body_function_head, ':', field('body', $._suite)),

    exception_spec: $ => choice(
      seq('except', optional(field('check', '?')), field('value', $.expression)),
      prec(1, seq('except', field('star', alias('*', $.star)))),
      prec(2, seq('except', field('plus', alias('+', $.plus)), optional(choice(
        field('handler', $.identifier),
        field('star', alias('*', $.star)),
      )))),
      prec(1, seq('except', field('check', '?'))),
      // Cython+: `except ~` (the exception is checked on the result, Parsing.p_exception_value_clause)
      prec(1, seq('except', field('tilde', alias('~', $.tilde)))),
    ),

    noexcept: _ => 'noexcept',

    // `cdef void __stdcall handler(...)`, `void (__cdecl *fp)(int)` (Parsing.calling_convention_words).
    calling_convention: _ => choice('__stdcall', '__cdecl', '__fastcall'),

    gil_spec: _ => choice('nogil', seq('with', 'gil')),

    c_parameters: $ => seq(
      '(',
      optional(seq(
        commaSep1(choice(
          $.c_parameter,
          $.list_splat_pattern,
          $.dictionary_splat_pattern,
          $.ellipsis,
          alias('*', $.keyword_separator),
        )),
        optional(','),
      )),
      ')',
    ),

    c_parameter: $ => choice(
      // typed: `int x`, `double[:, ::1] a`, `int *p`, `Foo f not None`, `const T&`, `int (*cmp)(int)`
      seq(
        field('type', choice(alias($._c_type_no_pointer_inner, $.c_type), $.memoryview_type, $.ctuple_type, alias($._parenthesized_c_type, $.c_type))),
        optional(field('declarator', alias($._c_param_declarator, $.c_declarator))),
        optional(choice($.not_none, $.or_none)),
        optional(seq(':', field('annotation', $.type))),
        optional(seq('=', field('default', choice($.expression, $.default_placeholder)))),
      ),
      // untyped: `self`, `x=None`, `x=*` (a lone name is read as an untyped parameter, also in extern blocks)
      prec(1, seq(
        field('name', choice($.identifier, alias(choice('lock', 'locked', 'iso', 'active'), $.identifier))),
        optional(choice($.not_none, $.or_none)),
        optional(seq(':', field('annotation', $.type))),
        optional(seq('=', field('default', choice($.expression, $.default_placeholder)))),
      )),
    ),

    _c_type_first_parameters: $ => seq(
      '(',
      optional(seq(
        commaSep1(choice(
          alias($._c_type_first_parameter, $.c_parameter),
          $.list_splat_pattern,
          $.dictionary_splat_pattern,
          $.ellipsis,
          alias('*', $.keyword_separator),
        )),
        optional(','),
      )),
      ')',
    ),

    _c_type_first_parameter: $ => choice(
      seq(
        field('type', choice(alias($._c_type_no_pointer_inner, $.c_type), $.memoryview_type, $.ctuple_type, alias($._parenthesized_c_type, $.c_type))),
        optional(field('declarator', alias($._c_param_declarator, $.c_declarator))),
        optional(choice($.not_none, $.or_none)),
        optional(seq('=', field('default', choice($.expression, $.default_placeholder)))),
      ),
      prec(-1, seq(
        field('name', $.identifier),
        optional(seq('=', field('default', choice($.expression, $.default_placeholder)))),
      )),
    ),

    not_none: _ => seq('not', 'None'),
    or_none: _ => seq('or', 'None'),
    default_placeholder: _ => choice('*', '?'),

    // ------------------------------------------------------------------ C types

    // const / volatile, and the C sign/size words (unsigned, signed, short, long) which may stand alone
    // (`unsigned long long x`) or be followed only by int / char / double (`unsigned int`, `long double`).
    _cv_qualifier: $ => alias(choice('const', 'volatile'), $.type_qualifier),
    _sign_qualifier: $ => alias(choice('unsigned', 'signed', 'short', 'long'), $.type_qualifier),

    // Cython+ reference capabilities, part of a C base type as in its Parsing.p_c_simple_base_type (`cdef iso A a`,
    // `lock Node next`, `<lock A> consume x`, `Template[active A]`, `void f(locked self)`). The words stay names
    // where a name is expected: `cdef lock x` declares x of a type named `lock` (the GLR parse keeps the reading
    // that completes).
    _type_qualifier: $ => choice($._cv_qualifier, $._cypclass_qualifier),
    _cypclass_qualifier: $ => alias(choice('lock', 'locked', 'iso', 'active'), $.type_qualifier),

    _c_type_name: $ => choice($.identifier, alias($._c_dotted_name, $.dotted_name),
      alias(choice('lock', 'locked', 'iso', 'active'), $.identifier)),
    _c_dotted_name: $ => seq($.identifier, repeat1(seq('.', $.identifier))),

    _c_type_core: $ => seq(
      repeat($._type_qualifier),
      choice(
        seq(
          field('name', $._c_type_name),
          optional(alias('complex', $.type_qualifier)),
        ),
        seq(
          repeat1($._sign_qualifier),
          optional(field('name', alias(choice('int', 'char', 'double'), $.identifier))),
          optional(alias('complex', $.type_qualifier)),
        ),
      ),
    ),

    _c_type_tail: $ => prec.right(seq(
      $.template_arguments,
      repeat(choice($.template_arguments, seq('.', field('member', $.identifier)))),
    )),

    // A C type as written in declarations (stars belong to the declarators).
    _c_type_no_pointer_inner: $ => seq($._c_type_core, optional($._c_type_tail)),

    // A C type with pointer / reference suffixes (return types, casts, template arguments, sizeof, new).
    c_type: $ => prec.right(seq(
      $._c_type_core,
      optional($._c_type_tail),
      repeat($._c_type_pointer_suffix),
    )),

    // `*`, `**`, `&`, and a qualified pointer `* const` (`<const char * const *>p`).
    _c_type_pointer_suffix: $ => choice(
      $.pointer,
      alias('**', $.pointer),
      $.reference,
      prec.right(seq(choice($.pointer, alias('**', $.pointer)), repeat1(alias(choice('const', 'volatile', 'restrict'), $.type_qualifier)))),
    ),

    // A type that may also be a function or function-pointer type: template arguments, casts, sizeof.
    //   function[double(double, int) noexcept], <object (*)(double)>, sizeof(Spam (*)())
    _c_type_or_function: $ => choice(
      $.c_type,
      alias($._c_function_type, $.c_type),
    ),

    _c_function_type: $ => seq(
      $._c_type_core,
      optional($._c_type_tail),
      repeat($._c_type_pointer_suffix),
      choice(
        $.function_pointer_declarator,
        seq(field('parameters', alias($._c_type_first_parameters, $.c_parameters)), repeat($._c_function_spec)),
      ),
    ),

    pointer: _ => '*',
    reference: _ => choice('&', '&&'),

    template_arguments: $ => seq(
      '[',
      commaSep1(choice(
        $._c_type_or_function,
        $.memoryview_type,
        prec.dynamic(-2, $.integer),
        prec.dynamic(-1, $.call),
        // a C array size written as an expression: `fd_t[<int>UF_MAX] f`, `int[2 * N] a`
        prec.dynamic(-3, $.cast_expression),
        prec.dynamic(-3, $.binary_operator),
        $.keyword_argument,
        $.string,
        $.ellipsis,
      )),
      optional(','),
      ']',
    ),

    template_parameters: $ => seq(
      '[',
      commaSep1(seq($.identifier, optional(seq('=', $.default_placeholder)))),
      optional(','),
      ']',
    ),

    // double[:, ::1], const float[:], int[:, :, :], float[:n] (in casts)
    memoryview_type: $ => seq(
      field('element', alias($._c_type_core, $.c_type)),
      '[',
      commaSep1($.memoryview_axis),
      optional(','),
      ']',
    ),

    memoryview_axis: $ => seq(
      optional($.expression),
      ':',
      optional($.expression),
      optional(seq(':', optional($.expression))),
    ),

    // `(int*) p`, `const (T*) p`: a parenthesized pointer type used as a declaration's base type.
    _parenthesized_c_type: $ => seq(
      repeat($._type_qualifier),
      '(',
      $._c_type_core,
      optional($._c_type_tail),
      repeat1($._c_type_pointer_suffix),
      // `(int *[42]) a`: an abstract array declarator after the stars
      repeat($.array_declarator),
      ')',
    ),

    // (int, double)
    ctuple_type: $ => seq('(', choice(
      seq($._c_return_type, repeat1(seq(',', $._c_return_type)), optional(',')),
      seq($._c_return_type, ','),
    ), ')'),

    // ------------------------------------------------------------------ declarators

    c_declarator: $ => seq(
      $._c_declarator_body,
      optional(seq('=', field('value', $.expression))),
    ),

    _c_declarator_body: $ => seq(
      repeat($._pointer_or_reference),
      choice(
        seq(field('name', $.identifier), optional(field('cname', $.string))),
        $.function_pointer_declarator,
        $.parenthesized_declarator,
      ),
      repeat($.array_declarator),
    ),

    // A parenthesized pointer declarator that is not a function pointer: `(*rows)[3]` (a pointer to arrays),
    // `ctypedef void (*opaque_t)` (the same as `void *opaque_t`).
    // Followed by a parameter list it is a function_pointer_declarator instead.
    parenthesized_declarator: $ => prec(-1, seq(
      '(',
      repeat1($._pointer_or_reference),
      field('name', $.identifier),
      optional(field('cname', $.string)),
      repeat($.array_declarator),
      ')',
    )),

    // Parameter declarators may be abstract: `f(int*, double[])`, `f(void (*)(int))`.
    _c_param_declarator: $ => choice(
      seq(
        repeat($._pointer_or_reference),
        choice(field('name', $.identifier), $.function_pointer_declarator),
        repeat($.array_declarator),
      ),
      // A function declarator as a parameter (a function pointer, as in C):
      //   `void kernel(double*, Py_ssize_t) noexcept nogil`, `double *f(double x) except? -1`.
      seq(
        repeat($._pointer_or_reference),
        field('name', $.identifier),
        field('parameters', alias($._c_type_first_parameters, $.c_parameters)),
        repeat($._c_function_spec),
      ),
      seq(repeat1($._pointer_or_reference), repeat($.array_declarator)),
      repeat1($.array_declarator),
      $.function_pointer_declarator,
    ),

    _pointer_or_reference: $ => choice(
      prec(1, alias('*', $.pointer_declarator)),
      prec(1, alias('**', $.pointer_declarator)),
      alias(choice('&', '&&'), $.reference_declarator),
      // `char * const p`, `int * restrict p`
      prec(1, seq(
        choice(alias('*', $.pointer_declarator), alias('**', $.pointer_declarator)),
        alias(choice('const', 'restrict'), $.type_qualifier),
      )),
    ),

    array_declarator: $ => seq('[', optional(field('size', $.expression)), ']'),

    // (*fp)(int, double) nogil
    function_pointer_declarator: $ => prec.right(seq(
      '(',
      optional(field('calling_convention', $.calling_convention)),
      repeat1($._pointer_or_reference),
      optional(seq(field('name', $.identifier), optional(field('cname', $.string)))),
      repeat($.array_declarator),
      ')',
      field('parameters', alias($._c_type_first_parameters, $.c_parameters)),
      repeat($._c_function_spec),
    )),

    operator_name: _ => seq(
      'operator',
      choice(
        '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '++', '--', '!', '~', '&', '|', '^',
        '<<', '>>', '=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '->', ',',
        seq('[', ']'), seq('(', ')'),
        'bool',
      ),
    ),

    // ------------------------------------------------------------------ ctypedef

    ctypedef_statement: $ => seq(
      'ctypedef',
      optional(field('visibility', $._modifiers)),
      field('type', choice(alias($._c_type_no_pointer_inner, $.c_type), $.memoryview_type, $.ctuple_type, alias($._parenthesized_c_type, $.c_type))),
      field('declarator', alias($._ctypedef_declarator, $.c_declarator)),
    ),

    _ctypedef_declarator: $ => seq(
      $._c_declarator_body,
      optional(seq(field('parameters', $.c_parameters), repeat($._c_function_spec))),
    ),

    // ctypedef struct S: ... / ctypedef enum E: ...  (a ctypedef_statement wrapping the definition)
    _ctypedef_compound: $ => seq(
      'ctypedef',
      choice(
        alias($._struct_rest, $.struct_definition),
        alias($._enum_rest, $.enum_definition),
      ),
    ),

    fused_type_definition: $ => seq(
      choice('ctypedef', 'cdef'),
      'fused',
      field('name', $.identifier),
      ':',
      choice(
        seq($._indent, repeat1(choice(
          seq(field('type', choice($.c_type, $.memoryview_type)), $._newline),
          seq('(', field('type', $.c_type), ')', $._newline),
          seq(alias($._c_docstring, $.expression_statement), $._newline),
          seq($.pass_statement, $._newline),
        )), $._dedent),
        seq(commaSep1(field('type', choice($.c_type, $.memoryview_type))), $._newline),
      ),
    ),

    // ------------------------------------------------------------------ struct / union / enum

    struct_definition: $ => seq(choice('cdef', 'cpdef'), $._struct_rest),

    _struct_rest: $ => seq(
      optional(field('modifier', $._modifiers)),
      field('kind', choice('struct', 'union')),
      field('name', $.identifier),
      optional(field('cname', $.string)),
      choice(
        seq(':', field('body', $.struct_body)),
        $._newline,
      ),
    ),

    struct_body: $ => choice(
      seq($._indent, repeat($._c_declaration_statement), $._dedent),
      seq($.pass_statement, $._newline),
    ),

    enum_definition: $ => seq(choice('cdef', 'cpdef'), $._enum_rest),

    _enum_rest: $ => seq(
      optional(field('modifier', $._modifiers)),
      'enum',
      optional(choice('class', 'struct')),
      optional(field('name', $.identifier)),
      optional(field('cname', $.string)),
      optional(seq('(', field('underlying_type', $.c_type), ')')),
      choice(
        seq(':', field('body', $.enum_body)),
        $._newline,
      ),
    ),

    enum_body: $ => choice(
      seq($._indent, repeat(choice(
        seq(commaSep1($.enumerator), optional(','), $._newline),
        seq(alias($._c_docstring, $.expression_statement), $._newline),
        seq($.pass_statement, $._newline),
      )), $._dedent),
      seq(commaSep1($.enumerator), optional(','), $._newline),
      seq($.pass_statement, $._newline),
    ),

    enumerator: $ => seq(
      field('name', $.identifier),
      optional(field('cname', $.string)),
      optional(seq('=', field('value', $.expression))),
    ),

    // ------------------------------------------------------------------ classes

    // cdef class A(B): / cdef public class A [object A, type AT]: / ctypedef class m.A [object X]:
    cdef_class_definition: $ => seq(
      choice('cdef', 'ctypedef'),
      optional(field('modifier', $._modifiers)),
      'class',
      field('name', $._c_type_name),
      optional(field('superclasses', $.argument_list)),
      optional($.class_options),
      choice(
        seq(':', field('body', $._suite)),
        $._newline,
      ),
    ),

    // `class m.C [object X]:` inside an extern block or `cdef public:` block (older spelling).
    _bare_cdef_class_definition: $ => seq(
      'class',
      field('name', $._c_type_name),
      optional(field('superclasses', $.argument_list)),
      $.class_options,
      choice(
        seq(':', field('body', $._suite)),
        $._newline,
      ),
    ),

    class_options: $ => seq(
      '[',
      commaSep1(seq($.identifier, $._c_type_name)),
      optional(','),
      ']',
    ),

    cypclass_definition: $ => seq('cdef', $._cypclass_rest),
    // Inside a cypclass (or cppclass) body the `cdef` is optional (Parsing.p_cpp_class_attribute).
    _bare_cypclass_definition: $ => $._cypclass_rest,
    _cypclass_rest: $ => seq(
      'cypclass',
      field('name', $.identifier),
      optional(field('template_parameters', $.template_parameters)),
      optional(field('superclasses', $.argument_list)),
      optional(field('activable', alias('activable', $.activable))),
      choice(
        seq(':', field('body', $._c_suite)),
        $._newline,
      ),
    ),

    // `cpdef cppclass` is accepted too (Parsing.p_cdef_statement reads a cppclass after either keyword).
    cppclass_definition: $ => seq(
      choice('cdef', 'cpdef'),
      optional(field('modifier', $._modifiers)),
      'cppclass',
      $._cppclass_rest,
    ),

    // Inside extern blocks and cppclass bodies the `cdef` is optional.
    _bare_cppclass_definition: $ => seq('cppclass', $._cppclass_rest),

    _cppclass_rest: $ => seq(
      field('name', $.identifier),
      optional(field('cname', $.string)),
      optional(field('template_parameters', $.template_parameters)),
      optional(field('superclasses', $.argument_list)),
      optional(alias('nogil', $.gil_spec)),
      choice(
        seq(':', field('body', $._c_suite)),
        $._newline,
      ),
    ),

    // ------------------------------------------------------------------ extern blocks and C bodies

    // cdef extern from "h.h" [namespace "ns"] [nogil]:
    extern_block: $ => prec(1, seq(
      'cdef',
      'extern',
      optional(seq('from', field('header', choice($.string, alias('*', $.star))))),
      optional(seq('namespace', field('namespace', $.string))),
      optional(field('gil_spec', $.gil_spec)),
      ':',
      field('body', $._c_suite),
    )),

    _c_suite: $ => choice(
      seq($._indent, alias($._c_block, $.block)),
      alias($._c_inline_block, $.block),
    ),

    _c_block: $ => seq(repeat($._c_declaration_statement), $._dedent),
    _c_inline_block: $ => $._c_declaration_statement,

    _c_declaration_statement: $ => choice(
      seq($.c_variable_declaration, optional(';'), $._newline),
      seq(alias($._c_body_function_declaration, $.c_function_declaration), optional(';'), $._newline),
      alias($._c_body_function_definition, $.c_function_definition),
      seq($.cdef_statement, optional(';'), $._newline),
      seq($.c_function_declaration, optional(';'), $._newline),
      $.c_function_definition,
      seq($.ctypedef_statement, optional(';'), $._newline),
      alias($._ctypedef_compound, $.ctypedef_statement),
      $.fused_type_definition,
      $.struct_definition,
      alias($._struct_rest, $.struct_definition),
      $.enum_definition,
      alias($._enum_rest, $.enum_definition),
      $.cppclass_definition,
      alias($._bare_cppclass_definition, $.cppclass_definition),
      $.cypclass_definition,
      alias($._bare_cypclass_definition, $.cypclass_definition),
      $.cdef_class_definition,
      alias($._bare_cdef_class_definition, $.cdef_class_definition),
      $.cdef_block,
      alias($._c_compile_time_if_statement, $.compile_time_if_statement),
      seq($.compile_time_definition, optional(';'), $._newline),
      seq($.pass_statement, optional(';'), $._newline),
      seq(alias($._c_docstring, $.expression_statement), $._newline),
      alias($._c_decorated_definition, $.decorated_definition),
      // An extern block nested in another one (`cdef extern from "a.h":` ... `cdef extern from "b.h":`).
      $.extern_block,
    ),

    _c_decorated_definition: $ => seq(
      repeat1($.decorator),
      field('definition', choice(
        seq(alias($._c_body_function_declaration, $.c_function_declaration), $._newline),
        alias($._c_body_function_definition, $.c_function_definition),
      )),
    ),

    _c_docstring: $ => choice($.string, $.concatenated_string),

    // ------------------------------------------------------------------ expressions

    primary_expression: ($, previous) => choice(
      previous,
      $.cast_expression,
      $.address_of,
      $.sizeof_expression,
      $.new_expression,
      $.consume_expression,
    ),

    keyword_identifier: ($, previous) => choice(
      previous,
      prec(-3, alias(choice('new', 'property', 'sizeof', 'consume', 'lock', 'locked', 'iso', 'active', 'rlocked',
        'wlocked', 'activable'), $.identifier)),
    ),

    // <double*>p, <object>x, <Foo?>x, <double[:n]>p
    cast_expression: $ => prec(PREC.cast, seq(
      '<',
      field('type', choice($._c_type_or_function, $.memoryview_type, $.ctuple_type)),
      optional(field('checked', '?')),
      '>',
      field('value', $.primary_expression),
    )),

    address_of: $ => prec(PREC.unary, seq('&', field('value', $.primary_expression))),

    sizeof_expression: $ => prec(1, seq(
      'sizeof',
      '(',
      choice(
        prec.dynamic(1, field('type', choice($._c_type_or_function, $.memoryview_type))),
        field('value', $.expression),
      ),
      ')',
    )),

    new_expression: $ => prec(PREC.call, seq(
      'new',
      field('type', alias($._c_type_no_pointer_inner, $.c_type)),
      field('arguments', $.argument_list),
    )),

    // Cython+: `with wlocked obj:` / `with rlocked obj:` (Parsing.p_with_items: LockCypclassNode), possibly with
    // further items (`with wlocked a, wlocked b:` are nested statements).
    with_locked_statement: $ => seq(
      'with',
      field('mode', alias(choice('rlocked', 'wlocked'), $.lock_mode)),
      field('object', $.expression),
      repeat(seq(',', $.with_item)),
      ':',
      field('body', $._suite),
    ),

    consume_expression: $ => prec(PREC.unary, seq('consume', field('value', $.primary_expression))),

    // C integer suffixes: 1U, 2UL, 3LL, 0xFFull
    integer: _ => token(seq(
      choice(
        seq(choice('0x', '0X'), repeat1(/_?[A-Fa-f0-9]+/)),
        seq(choice('0o', '0O'), repeat1(/_?[0-7]+/)),
        seq(choice('0b', '0B'), repeat1(/_?[0-1]+/)),
        seq(repeat1(/[0-9]+_?/), optional(/[jJ]/)),
      ),
      optional(choice(/[uU]/, /[uU]?[lL][lL]?/, /[lL][lL]?[uU]/)),
    )),
  },
});
