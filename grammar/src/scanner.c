/*
 * External scanner for tree-sitter-cython.
 *
 * Tokens produced here (order must match `externals` in grammar.js):
 *   NEWLINE, INDENT, DEDENT    -- Python/Cython offside rule
 *   STRING_START               -- an opening quote with its prefix (any mix of r, b, u, f, t, c in any case,
 *                                 e.g. c'x', rb"..", Br'..', f"""..""")
 *   STRING_CONTENT             -- literal text between escapes / interpolations
 *   ESCAPE_INTERPOLATION       -- `{{` or `}}` inside an f-string
 *   STRING_END                 -- the closing quote(s)
 *   COMMENT                    -- declared external so that the scanner runs before every token (never produced)
 *   ')' ']' '}' 'except'       -- only inspected through valid_symbols (never produced)
 *
 * State: a stack of indentation widths and a stack of open string delimiters, both serialized.
 */
#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum TokenType {
  NEWLINE,
  INDENT,
  DEDENT,
  STRING_START,
  STRING_CONTENT,
  ESCAPE_INTERPOLATION,
  STRING_END,
  COMMENT,
  CLOSE_PAREN,
  CLOSE_BRACKET,
  CLOSE_BRACE,
  EXCEPT,
};

/* One open string literal, packed in a byte. */
enum {
  QUOTE_SINGLE = 1 << 0,
  QUOTE_DOUBLE = 1 << 1,
  QUOTE_BACK = 1 << 2,
  RAW = 1 << 3,
  FORMAT = 1 << 4,
  TRIPLE = 1 << 5,
  BYTES = 1 << 6,
};

#define MAX_INDENTS 256
#define MAX_STRINGS 128

typedef struct {
  uint16_t indents[MAX_INDENTS];
  uint32_t indent_count; /* indents[0] is always 0 */
  uint8_t strings[MAX_STRINGS];
  uint32_t string_count;
  bool in_fstring;
} Scanner;

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }
static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

static int32_t quote_char(uint8_t flags) {
  if (flags & QUOTE_SINGLE) return '\'';
  if (flags & QUOTE_DOUBLE) return '"';
  if (flags & QUOTE_BACK) return '`';
  return 0;
}

static void push_indent(Scanner *s, uint16_t width) {
  if (s->indent_count < MAX_INDENTS) s->indents[s->indent_count++] = width;
}

static void push_string(Scanner *s, uint8_t flags) {
  if (s->string_count < MAX_STRINGS) s->strings[s->string_count++] = flags;
}

static void pop_string(Scanner *s) {
  if (s->string_count > 0) s->string_count--;
  s->in_fstring = false;
}

/* Inside an open string: `{{` / `}}` escapes of f-strings. Returns 1 on token, 0 on no token, -1 to continue. */
static int scan_escape_interpolation(Scanner *s, TSLexer *lexer, bool *advanced) {
  uint8_t flags = s->strings[s->string_count - 1];
  if (!(flags & FORMAT)) return -1;
  lexer->mark_end(lexer);
  int32_t first = lexer->lookahead;
  advance(lexer);
  *advanced = true;
  if (lexer->lookahead == first) {
    advance(lexer);
    lexer->mark_end(lexer);
    lexer->result_symbol = ESCAPE_INTERPOLATION;
    return 1;
  }
  return 0;
}

/* Inside an open string: literal content up to an escape, an interpolation or the closing quote(s); or the
 * closing quote(s) themselves when no content precedes them. */
static bool scan_string_body(Scanner *s, TSLexer *lexer, bool advanced) {
  uint8_t flags = s->strings[s->string_count - 1];
  int32_t quote = quote_char(flags);
  bool has_content = advanced;
  while (lexer->lookahead != 0 || !lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    if ((flags & FORMAT) && (advanced || c == '{' || c == '}')) {
      lexer->mark_end(lexer);
      lexer->result_symbol = STRING_CONTENT;
      return has_content;
    }
    if (c == '\\') {
      if (flags & RAW) {
        /* In raw strings a backslash keeps the next quote or backslash (or line end) in the content. */
        advance(lexer);
        if (lexer->lookahead == quote || lexer->lookahead == '\\') {
          advance(lexer);
        } else if (lexer->lookahead == '\r') {
          advance(lexer);
          if (lexer->lookahead == '\n') advance(lexer);
        } else if (lexer->lookahead == '\n') {
          advance(lexer);
        }
        has_content = true;
        continue;
      }
      if (flags & BYTES) {
        /* \N{..}, \u and \U are not escapes in bytes literals: keep them as content. */
        lexer->mark_end(lexer);
        advance(lexer);
        if (lexer->lookahead == 'N' || lexer->lookahead == 'u' || lexer->lookahead == 'U') {
          advance(lexer);
          has_content = true;
          continue;
        }
        lexer->result_symbol = STRING_CONTENT;
        return has_content;
      }
      /* Let the grammar lex the escape sequence. */
      lexer->mark_end(lexer);
      lexer->result_symbol = STRING_CONTENT;
      return has_content;
    }
    if (c == quote) {
      if (flags & TRIPLE) {
        lexer->mark_end(lexer);
        advance(lexer);
        if (lexer->lookahead == quote) {
          advance(lexer);
          if (lexer->lookahead == quote) {
            if (has_content) {
              lexer->result_symbol = STRING_CONTENT;
            } else {
              advance(lexer);
              lexer->mark_end(lexer);
              pop_string(s);
              lexer->result_symbol = STRING_END;
            }
            return true;
          }
        }
        /* One or two quotes inside a triple-quoted string are content. */
        lexer->mark_end(lexer);
        lexer->result_symbol = STRING_CONTENT;
        return true;
      }
      if (has_content) {
        lexer->result_symbol = STRING_CONTENT;
      } else {
        advance(lexer);
        pop_string(s);
        lexer->result_symbol = STRING_END;
      }
      lexer->mark_end(lexer);
      return true;
    }
    if (c == '\n' && has_content && !(flags & TRIPLE)) {
      /* Unterminated single-line string: give up, error recovery takes over. */
      return false;
    }
    if (lexer->eof(lexer)) break;
    advance(lexer);
    has_content = true;
  }
  return false;
}

/* A string opening: optional prefix letters then one or three quotes. */
static bool scan_string_start(Scanner *s, TSLexer *lexer) {
  uint8_t flags = 0;
  int prefix_len = 0;
  for (;;) {
    int32_t c = lexer->lookahead;
    if (c == 'f' || c == 'F' || c == 't' || c == 'T') {
      flags |= FORMAT;
    } else if (c == 'r' || c == 'R') {
      flags |= RAW;
    } else if (c == 'b' || c == 'B') {
      flags |= BYTES;
    } else if (c == 'u' || c == 'U' || c == 'c' || c == 'C') {
      /* u: unicode (no effect); c: Cython char literal c'x' */
    } else {
      break;
    }
    if (++prefix_len > 3) return false;
    advance(lexer);
  }
  int32_t q = lexer->lookahead;
  if (q == '\'') {
    flags |= QUOTE_SINGLE;
  } else if (q == '"') {
    flags |= QUOTE_DOUBLE;
  } else if (q == '`') {
    flags |= QUOTE_BACK;
  } else {
    return false;
  }
  advance(lexer);
  lexer->mark_end(lexer);
  if (q != '`' && lexer->lookahead == q) {
    advance(lexer);
    if (lexer->lookahead == q) {
      advance(lexer);
      lexer->mark_end(lexer);
      flags |= TRIPLE;
    }
  }
  push_string(s, flags);
  s->in_fstring = (flags & FORMAT) != 0;
  lexer->result_symbol = STRING_START;
  return true;
}

bool tree_sitter_cython_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  Scanner *s = (Scanner *)payload;
  /* In error recovery every symbol is valid; never produce string internals then. */
  bool recovering = valid_symbols[STRING_CONTENT] && valid_symbols[INDENT];
  bool in_brackets = valid_symbols[CLOSE_PAREN] || valid_symbols[CLOSE_BRACKET] || valid_symbols[CLOSE_BRACE];

  bool advanced = false;
  if (!recovering && s->string_count > 0) {
    if (valid_symbols[ESCAPE_INTERPOLATION] && (lexer->lookahead == '{' || lexer->lookahead == '}')) {
      int r = scan_escape_interpolation(s, lexer, &advanced);
      if (r >= 0) return r == 1;
    }
    if (valid_symbols[STRING_CONTENT]) return scan_string_body(s, lexer, advanced);
  }

  /* Offside rule: measure the indentation of the next non-blank, non-comment line. */
  lexer->mark_end(lexer);
  bool at_line_end = false;
  uint32_t width = 0;
  int32_t first_comment_width = -1;
  for (;;) {
    int32_t c = lexer->lookahead;
    if (c == '\n') {
      at_line_end = true;
      width = 0;
      skip(lexer);
    } else if (c == ' ') {
      width++;
      skip(lexer);
    } else if (c == '\t') {
      width += 8;
      skip(lexer);
    } else if (c == '\r' || c == '\f') {
      width = 0;
      skip(lexer);
    } else if (c == '#' &&
               (valid_symbols[INDENT] || valid_symbols[DEDENT] || valid_symbols[NEWLINE] || valid_symbols[EXCEPT])) {
      /* A trailing comment on a code line: leave it to the grammar's comment token. */
      if (!at_line_end) return false;
      if (first_comment_width < 0) first_comment_width = (int32_t)width;
      while (lexer->lookahead != '\n' && !lexer->eof(lexer)) skip(lexer);
      skip(lexer);
      width = 0;
      at_line_end = true;
    } else if (c == '\\') {
      /* Explicit line joining. */
      skip(lexer);
      if (lexer->lookahead == '\r') skip(lexer);
      if (lexer->lookahead == '\n' || lexer->eof(lexer)) {
        skip(lexer);
      } else {
        return false;
      }
    } else if (lexer->eof(lexer)) {
      width = 0;
      at_line_end = true;
      break;
    } else {
      break;
    }
  }
  if (width > 0xFFFF) width = 0xFFFF;

  if (at_line_end) {
    uint16_t current = s->indents[s->indent_count - 1];
    if (valid_symbols[INDENT] && width > current) {
      push_indent(s, (uint16_t)width);
      lexer->result_symbol = INDENT;
      return true;
    }
    int32_t c = lexer->lookahead;
    bool string_next = c == '"' || c == '\'' || c == '`';
    bool dedent_allowed =
        valid_symbols[DEDENT] ||
        (!valid_symbols[NEWLINE] && !(valid_symbols[STRING_START] && string_next) && !in_brackets);
    /* Comments indented like the current block belong to it: wait with the dedent until after them. */
    if (dedent_allowed && width < current && s->indent_count > 1 && !s->in_fstring &&
        first_comment_width < (int32_t)current) {
      s->indent_count--;
      lexer->result_symbol = DEDENT;
      return true;
    }
    if (valid_symbols[NEWLINE] && !recovering) {
      lexer->result_symbol = NEWLINE;
      return true;
    }
  }

  if (first_comment_width < 0 && valid_symbols[STRING_START]) {
    return scan_string_start(s, lexer);
  }
  return false;
}

unsigned tree_sitter_cython_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = (Scanner *)payload;
  unsigned size = 0;
  buffer[size++] = (char)s->in_fstring;
  uint32_t strings = s->string_count;
  if (strings > 255) strings = 255;
  buffer[size++] = (char)strings;
  for (uint32_t i = 0; i < strings; i++) buffer[size++] = (char)s->strings[i];
  for (uint32_t i = 1; i < s->indent_count && size + 2 <= TREE_SITTER_SERIALIZATION_BUFFER_SIZE; i++) {
    buffer[size++] = (char)(s->indents[i] & 0xFF);
    buffer[size++] = (char)(s->indents[i] >> 8);
  }
  return size;
}

void tree_sitter_cython_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  Scanner *s = (Scanner *)payload;
  s->in_fstring = false;
  s->string_count = 0;
  s->indent_count = 1;
  s->indents[0] = 0;
  if (length == 0) return;
  unsigned pos = 0;
  s->in_fstring = buffer[pos++] != 0;
  if (pos >= length) return;
  uint32_t strings = (uint8_t)buffer[pos++];
  for (uint32_t i = 0; i < strings && pos < length; i++) push_string(s, (uint8_t)buffer[pos++]);
  while (pos + 1 < length) {
    uint16_t w = (uint16_t)((uint8_t)buffer[pos] | ((uint8_t)buffer[pos + 1] << 8));
    push_indent(s, w);
    pos += 2;
  }
}

void *tree_sitter_cython_external_scanner_create(void) {
  Scanner *s = (Scanner *)calloc(1, sizeof(Scanner));
  if (s == NULL) return NULL;
  tree_sitter_cython_external_scanner_deserialize(s, NULL, 0);
  return s;
}

void tree_sitter_cython_external_scanner_destroy(void *payload) { free(payload); }
