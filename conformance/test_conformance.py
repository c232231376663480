"""Unit tests of the conformance suite's own logic (no corpus needed; one test runs the real compiler on a tiny
file).  Run:  .venv/bin/python -m unittest discover -s conformance -p 'test_*.py'
"""
import copy
from collections import Counter
import fcntl
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, categorize, parse_compiler_output  # noqa: E402
from label import parse_annotation_html  # noqa: E402
from mutate import (EXPECT, KIND_NAMES, analyse_file, file_typedefs, logical_statements,  # noqa: E402
                    mutation, mutation_text, parse_decl, project_sequence)
from prepare import _meson_cpp_sources, parse_tags, split_source_and_expectations  # noqa: E402
import run  # noqa: E402

STDERR = """@@phase parse
@@phase AnalyseDeclarationsTransform
performance hint: t.pyx:7:0: Exception check on 'g' will always require the GIL to be acquired.
Possible solutions:
\t1. Declare 'g' as 'noexcept' if you control the definition and you're sure you don't want the function to raise exceptions.
warning: t.pyx:3:4: Unused entry 'x'
@@phase GilCheck

Error compiling Cython file:
------------------------------------------------------------
...
cdef void f() nogil:
    print(x)
    ^
------------------------------------------------------------

t.pyx:12:4: Calling gil-requiring function not allowed without gil

Error compiling Cython file:
------------------------------------------------------------
...
    t.pyx:1:1: this looks like a message but is a source line
------------------------------------------------------------

t.pyx:13:8: Accessing Python global or builtin not allowed without gil
@@phase abort_on_errors
"""


def lab(path, diags, ann=None, stopped=None, id_=None):
    return {"id": id_ or path, "path": path, "diagnostics": diags, "annotations": ann, "stopped_after": stopped}


def d(kind, line, msg, col=0):
    return {"kind": kind, "line": line, "column": col, "message": msg, "category": categorize(msg), "path": "x"}


CALL = "Calling gil-requiring function not allowed without gil"
ATTR = "Accessing Python attribute not allowed without gil"
LOCALS = "Function declared nogil has Python locals or temporaries"
HINT = "Exception check after calling 'f' will always require the GIL to be acquired."


class ParseOutput(unittest.TestCase):
    def test_kinds_positions_phases(self):
        got = parse_compiler_output(STDERR)
        self.assertEqual([(g["kind"], g["line"], g["column"], g["phase"]) for g in got], [
            ("hint", 7, 0, "AnalyseDeclarationsTransform"), ("warning", 3, 4, "AnalyseDeclarationsTransform"),
            ("error", 12, 4, "GilCheck"), ("error", 13, 8, "GilCheck")])
        self.assertIn("Possible solutions:", got[0]["message"])
        self.assertEqual(got[2]["message"], CALL)

    def test_categories(self):
        self.assertEqual(categorize(CALL), "call-gil-function")
        self.assertEqual(categorize(ATTR), "py-attribute")
        self.assertEqual(categorize("Coercion from Python not allowed without the GIL"), "py-coercion-from")
        self.assertEqual(categorize("Constructing Python list not allowed without gil"), "py-construct")
        self.assertEqual(categorize(LOCALS), "nogil-python-locals")
        self.assertEqual(categorize("Trying to acquire the GIL while it is already held."), "acquire-gil-held")
        self.assertEqual(categorize(HINT), "exception-check-hint")
        self.assertEqual(categorize("Exception check on 'with_gil' will always require the GIL to be acquired."),
                         "exception-check-hint")
        self.assertEqual(categorize("Python functions cannot be declared 'nogil'"), "nogil-declaration")
        self.assertEqual(categorize("Cannot assign type 'void (void) noexcept' to 'void (*)(void) noexcept nogil'"),
                         "nogil-function-type")
        self.assertIsNone(categorize("undeclared name not builtin: foo"))
        self.assertIsNone(categorize("Syntax error in simple statement list"))


class PrepareHelpers(unittest.TestCase):
    def test_split_and_tags(self):
        text = "# mode: error\n# tag: cpp, werror\n\ncdef void f() nogil:\n    x = []\n\n_ERRORS = u\"\"\"\n5:4: " + \
               CALL + "\n\"\"\"\n_PERFORMANCE_HINTS = \"\"\"\n4:0: " + HINT + "\n\"\"\"\n"
        src, exp = split_source_and_expectations(text)
        self.assertTrue(src.endswith("    x = []\n\n"))
        self.assertEqual(exp["errors"], [{"line": 5, "column": 4, "message": CALL}])
        self.assertEqual(exp["hints"][0]["line"], 4)
        self.assertEqual(parse_tags(text), {"mode": ["error"], "tag": ["cpp", "werror"]})

    def test_meson_cpp(self):
        meson = """
x = custom_target('a', output: '_a.pyx', input: '_a.pyx.tp', command: [tempita])
py.extension_module('b', cython_gen_cpp.process('_b.pyx'))
py.extension_module('a', cython_gen_cpp.process(x))
py.extension_module('c', cython_gen.process('_c.pyx'))
"""
        self.assertEqual(_meson_cpp_sources(meson), {"_a.pyx", "_b.pyx"})


SRC = '''import numpy as np

cdef int helper(int a):
    return a + 1

cdef double work(double* x, int n) noexcept nogil:
    """doc"""
    cdef:
        int i
        double s = 0
    for i in range(n):
        s += (x[i] +
              1)
        if s > 3:
            break
        else:
            s = 0
    return s

def top(obj, int k):
    cdef int j = 0
    with nogil:
        j = k + 1
        with gil:
            print(obj)
        j += 1
    return j
'''


class Mutants(unittest.TestCase):
    def test_statements_and_points(self):
        stmts = logical_statements(SRC.splitlines())
        self.assertIn("s += (x[i] + 1)", [s.text for s in stmts])
        info = analyse_file(SRC)
        lines = {p["line"] + 1 for p in info["points"]}
        # work(): docstring, cdef:, for, s +=, if, break, s = 0 (in else), return; top(): j = k + 1, with gil:, j += 1
        self.assertEqual(lines, {7, 8, 11, 12, 14, 15, 17, 18, 23, 24, 26})
        self.assertNotIn(13, lines)   # continuation line
        self.assertNotIn(9, lines)    # inside cdef: block
        self.assertNotIn(25, lines)   # inside with gil:
        self.assertNotIn(16, lines)   # else:
        p = next(p for p in info["points"] if p["line"] + 1 == 23)
        self.assertEqual(p["py_objs"], ["obj"])
        self.assertEqual((p["ints"], p["floats"], p["region_kind"]), (["j", "k"], [], "with-nogil"))
        q = next(p for p in info["points"] if p["line"] + 1 == 11)
        self.assertEqual((q["ints"], q["floats"], q["ptrs"], q["region_kind"]),
                         (["i", "n"], ["s"], ["x"], "nogil-function"))
        import random
        self.assertEqual(mutation_text("call-gil", q, info, random.Random(0)), ["helper(1)"])
        self.assertEqual(mutation_text("attribute", p, info, random.Random(0)), ["obj.real"])
        self.assertEqual(mutation_text("ptr-read", q, info, random.Random(0)), ["s = x[0]"])
        # a cdef nogil function has no Python object: the mutant appends a module global
        self.assertEqual(mutation("len", q, info, random.Random(0)), (["len(_cl_glob)"], ["_cl_glob = object()"]))
        self.assertIsNone(mutation("del", q, info, random.Random(0)))
        self.assertEqual(mutation("sqrt", q, info, random.Random(0))[1], ["from libc.math cimport sqrt"])

    def test_declarations(self):
        tds, fused = file_typedefs(["ctypedef double DTYPE_t\nctypedef fused real:\n    float\n    double\n"])
        self.assertEqual((tds["DTYPE_t"], fused["real"]), ("f", "f"))
        self.assertEqual(parse_decl("cdef DTYPE_t a, *b = NULL, c[3]", tds), [("a", "f", "v"), ("b", "f", "p")])
        self.assertEqual(parse_decl("const intp_t[:, ::1] idx", tds), [("idx", "i", "m")])
        self.assertEqual(parse_decl("cdef long long n = 0", tds), [("n", "i", "v")])
        self.assertEqual(parse_decl("cdef char* s", tds), [])
        self.assertEqual(parse_decl("const intp_t key", tds), [("key", "i", "c")])  # never an assignment target
        self.assertEqual(parse_decl("cdef object o", tds), [])
        self.assertEqual(parse_decl("cdef Foo f", tds), [])  # unknown type: not used

    def test_prange_points_avoid_assignments_and_reductions(self):
        src = (
            "from cython.parallel import prange\n"
            "cdef void f(double[:] a, int n) noexcept nogil:\n"
            "    cdef int i\n"
            "    cdef double t = 0, u = 0\n"
            "    for i in prange(n):\n"
            "        t += a[i]\n"
            "        u = a[i]\n")
        info = analyse_file(src)
        p = next(p for p in info["points"] if p["line"] + 1 == 7)
        self.assertTrue(p["in_prange"])
        self.assertEqual(p["floats"], ["u"])  # t is a reduction: reading it in the loop is an error
        import random
        self.assertIsNone(mutation("c-arith", p, info, random.Random(0)))  # would make u lastprivate
        self.assertEqual(mutation_text("mv-len", p, info, random.Random(0)), ["_cl_t = len(a)"])

    def test_accepted_bases_and_portable_dirs(self):
        from mutate import _portable_dirs, accepted
        from common import site_packages
        ok = {"stopped_after": None, "diagnostics": [{"kind": "warning"}, {"kind": "hint"}]}
        self.assertTrue(accepted(ok))
        self.assertFalse(accepted(dict(ok, diagnostics=[{"kind": "error"}], stopped_after="analysis")))
        self.assertFalse(accepted(dict(ok, stopped_after="crash", compiler_failure="x")))
        self.assertFalse(accepted(None))
        # a base prepared by another checkout: its site-packages become this interpreter's
        self.assertEqual(_portable_dirs(["/x/.venv/lib/python3.11/site-packages/Cython/Includes", "/src/p"]),
                         [str(site_packages()) + "/Cython/Includes", "/src/p"])

    def test_kinds_and_sequence(self):
        self.assertGreaterEqual(len(KIND_NAMES), 40)
        self.assertEqual(len(set(KIND_NAMES)), len(KIND_NAMES))
        self.assertTrue({"error", "hint", "clean", "context"} >= set(EXPECT.values()))
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "m.pyx"
            f.write_text(SRC, encoding="utf-8")
            bases = [({"id": "p/m.pyx", "path": str(f)}, {"bytes": len(SRC)})]
            a = project_sequence("p", bases, 40, 1)
            b = project_sequence("p", bases, 20, 1)
            key = lambda ms: [(m["kind"], m["point"]["line"], m["stmt"]) for m in ms]  # noqa: E731
            self.assertEqual(key(a)[:20], key(b))  # a shorter run is a prefix: cached labels stay valid
            self.assertEqual(key(a), key(project_sequence("p", bases, 40, 1)))  # seeded
            self.assertNotEqual(key(a), key(project_sequence("p", bases, 40, 2)))
            counts = Counter(m["kind"] for m in a)
            self.assertLessEqual(max(counts.values()) - min(counts.values()), 1)  # round-robin over kinds


class Metrics(unittest.TestCase):
    def setUp(self):
        self.labels = [
            lab("/a.pyx", [d("error", 3, CALL), d("error", 3, "Discarding owned Python object not allowed without gil"),
                           d("error", 5, ATTR), d("hint", 8, HINT), d("warning", 9, "Unused entry 'x'")]),
            lab("/b.pyx", [d("error", 1, "Syntax error in simple statement list")], stopped="parse"),
            lab("/c.pyx", [d("error", 2, LOCALS), d("error", 4, "undeclared name not builtin: q")]),
        ]
        self.sk = [lab("/s.pyx", [d("hint", 2, HINT)], ann=[{"line": 1, "score": 0}, {"line": 2, "score": 5},
                                                              {"line": 3, "score": 12}, {"line": 4, "score": 1}])]

    def preds(self, labels):
        return {k: copy.deepcopy(v) for k, v in run.predictions_from_labels(labels).items()}

    def test_labels_as_predictions_are_perfect(self):
        rep = run.evaluate({"cython-tests": self.labels, "sklearn": self.sk},
                           {**self.preds(self.labels), **self.preds(self.sk)})
        f = rep["figures"]
        self.assertEqual(f["cython-tests.error_recall"], 1.0)
        self.assertEqual(f["cython-tests.error_precision"], 1.0)
        self.assertEqual(f["hint_recall"], 1.0)
        self.assertEqual(f["annotation_f1"], 1.0)
        self.assertEqual(f["annotation_spearman"], 1.0)
        self.assertEqual(f["sklearn_false_errors"], 0)
        self.assertEqual(run.check_targets(f), [])
        e = rep["corpora"]["cython-tests"]["errors"]
        self.assertEqual((e["tp"], e["fp"], e["fn"]), (3, 0, 0))  # lines 3, 5 of a; 2 of c (b: parse error)
        self.assertEqual(e["excluded_parse_error_files"], ["/b.pyx"])

    def test_missed_and_false_errors(self):
        p = self.preds(self.labels)
        p["/a.pyx"]["diagnostics"] = [x for x in p["/a.pyx"]["diagnostics"] if x["line"] != 5]  # miss line 5
        p["/c.pyx"]["diagnostics"].append({"line": 7, "column": 1, "severity": "error", "code": "x",
                                           "message": "Python import not allowed without gil"})
        p["/c.pyx"]["diagnostics"].append({"line": 8, "column": 1, "severity": "warning", "code": "x",
                                           "message": "Python import not allowed without gil"})  # not an error
        e = run.evaluate({"cython-tests": self.labels}, p)["corpora"]["cython-tests"]["errors"]
        self.assertEqual((e["tp"], e["fp"], e["fn"]), (2, 1, 1))
        self.assertEqual(e["precision"], round(2 / 3, 4))
        self.assertEqual(e["recall"], round(2 / 3, 4))
        self.assertEqual(e["per_category"]["py-attribute"]["recall"], 0.0)
        self.assertEqual(e["per_category"]["py-import"]["precision"], 0.0)

    def test_wrong_category_counts_against_category_not_line(self):
        p = self.preds(self.labels)
        for x in p["/c.pyx"]["diagnostics"]:
            if x["line"] == 2:
                x["message"] = "Assignment of Python object not allowed without gil"
        e = run.evaluate({"cython-tests": self.labels}, p)["corpora"]["cython-tests"]["errors"]
        self.assertEqual(e["recall"], 1.0)
        self.assertEqual(e["per_category"]["nogil-python-locals"]["recall"], 0.0)
        self.assertEqual(e["per_category"]["py-assignment"]["precision"], 0.0)

    def test_code_used_when_message_unknown(self):
        p = self.preds(self.labels)
        for x in p["/c.pyx"]["diagnostics"]:
            if x["line"] == 2:
                x["message"], x["code"] = "this function has Python locals", "nogil-python-locals"
        e = run.evaluate({"cython-tests": self.labels}, p)["corpora"]["cython-tests"]["errors"]
        self.assertEqual(e["per_category"]["nogil-python-locals"]["recall"], 1.0)

    def test_sklearn_false_errors_hints_annotations(self):
        p = self.preds(self.sk)
        p["/s.pyx"]["diagnostics"] = [{"line": 4, "column": 1, "severity": "error", "code": "x", "message": "boom"}]
        p["/s.pyx"]["annotations"] = [{"line": 1, "score": 3}, {"line": 2, "score": 5}, {"line": 3, "score": 0}]
        rep = run.evaluate({"sklearn": self.sk}, p)
        f = rep["figures"]
        self.assertEqual(f["sklearn_false_errors"], 1)
        self.assertEqual(f["hint_recall"], 0.0)
        a = rep["corpora"]["sklearn"]["annotations"]
        self.assertEqual((a["tp"], a["fp"], a["fn"]), (1, 1, 2))
        self.assertEqual(a["f1"], 0.4)
        self.assertLess(f["annotation_spearman"], 0.7)
        missed = run.check_targets(f)
        self.assertTrue(any(m.startswith("sklearn_false_errors") for m in missed))
        self.assertTrue(any(m.startswith("annotation_f1") for m in missed))

    def test_mutants_per_kind_project_and_own_hints(self):
        labels = [lab("/m1.pyx", [d("error", 5, CALL), d("error", 1, LOCALS)], id_="mutants/p/m0001/m1.pyx"),
                  lab("/m2.pyx", [d("hint", 7, HINT)], id_="mutants/q/m0001/m2.pyx"),
                  lab("/m3.pyx", [], id_="mutants/q/m0002/m3.pyx")]
        mut = lambda kind, first, project: {"kind": kind, "first_line": first, "last_line": first,  # noqa: E731
                                            "project": project}
        manifest = [{"id": "mutants/p/m0001/m1.pyx", "mutation": mut("print", 5, "p")},
                    {"id": "mutants/q/m0001/m2.pyx", "mutation": mut("hint-void-call", 7, "q")},
                    {"id": "mutants/q/m0002/m3.pyx", "mutation": mut("pass", 3, "q")}]
        p = self.preds(labels)
        p["/m1.pyx"]["diagnostics"] = [x for x in p["/m1.pyx"]["diagnostics"] if x["line"] != 1]  # miss line 1
        # our own information-level kinds are neither predicted compiler hints nor false ones
        p["/m3.pyx"]["diagnostics"].append({"line": 3, "column": 1, "severity": "information",
                                            "code": "gil-transition-in-loop", "message": "GIL acquired in a loop"})
        p["/m3.pyx"]["diagnostics"].append({"line": 2, "column": 1, "severity": "information",
                                            "code": "exception-check-requires-gil", "message": HINT})
        rep = run.evaluate({"mutants-full": labels}, p, manifests={"mutants-full": manifest})
        f = rep["figures"]
        self.assertEqual((f["mutants.error_recall"], f["mutants.error_precision"]), (0.5, 1.0))
        self.assertEqual((f["mutants.hint_recall"], f["mutants.hint_precision"]), (1.0, 0.5))
        c = rep["corpora"]["mutants-full"]
        self.assertEqual(c["hints"]["own_hint_lines"], 1)
        m = c["mutants"]
        self.assertEqual(m["per_kind"]["print"]["errors"]["fn"], 1)
        self.assertEqual(m["per_project"]["q"]["hints"]["fp"], 1)
        self.assertEqual(m["per_project"]["q"]["files"], 2)
        self.assertEqual(m["outcomes"], {"hint-void-call": {"clean +hint": 1}, "pass": {"clean": 1},
                                         "print": {"call-gil-function": 1}})
        missed = run.check_targets(f)
        self.assertTrue(any(x.startswith("mutants.error_recall") for x in missed))
        self.assertTrue(any(x.startswith("mutants.hint_precision") for x in missed))

    def test_codegen_hints_unjudged_when_compiler_stopped_before_code_generation(self):
        # the compiler prints "Exception check after calling" hints while generating C: a file with errors
        # (stopped_after "analysis") has none, so ours there are neither true nor false; a file that compiled is judged
        labels = [lab("/e.pyx", [d("error", 3, CALL)], stopped="analysis"), lab("/ok.pyx", [])]
        p = self.preds(labels)
        hint = {"column": 1, "severity": "information", "code": "exception-check-requires-gil", "message": HINT}
        p["/e.pyx"]["diagnostics"].append({"line": 6, **hint})
        p["/e.pyx"]["diagnostics"].append({"line": 8, **hint, "code": "exception-check-definition"})
        p["/ok.pyx"]["diagnostics"].append({"line": 6, **hint})
        h = run.evaluate({"cython-tests": labels}, p)["corpora"]["cython-tests"]["hints"]
        self.assertEqual((h["tp"], h["fp"], h["fn"]), (0, 2, 0))  # e.pyx:8 (declaration phase) and ok.pyx:6
        self.assertEqual(h["unjudged_codegen_hint_lines"], 1)

    def test_spearman(self):
        self.assertEqual(run.spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1.0)
        self.assertEqual(run.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1.0)
        self.assertEqual(run.rankdata([5, 1, 5, 2]), [3.5, 1.0, 3.5, 2.0])


class RealCompiler(unittest.TestCase):
    """The labeller's parsing against the real compiler on a tiny file."""

    def test_compile_and_annotate(self):
        import label
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "tiny.pyx"
            f.write_text("cdef void g(int x) nogil:\n    x + 1\n\ndef h(a):\n    g(1)\n    return a + 1\n")
            e = {"id": "tiny", "path": str(f), "module": "tiny", "cplus": False, "include_dirs": [],
                 "cython_args": ["-3"], "annotate": True}
            r = label.label_one(e, "x")
            self.assertEqual(r["returncode"], 0)
            self.assertIsNone(r["stopped_after"])
            scores = {a["line"]: a["score"] for a in r["annotations"]}
            self.assertEqual(len(scores), 6)
            self.assertGreater(scores[4], 0)   # def h(a): argument parsing / function object
            # the exception check after calling g is `...; if (unlikely(PyErr_Occurred())) __PYX_ERR(...)`: Annotate's
            # error_goto pattern swallows the whole `if ... __PYX_ERR()` so it does not score
            self.assertEqual(scores[5], 0)
            self.assertGreater(scores[6], 0)   # Python addition
            self.assertEqual(scores[3], 0)
            self.assertEqual(scores[2], 0)     # C arithmetic
            # a hint: g is void and may raise (implicit except *), the exception check needs the GIL
            self.assertTrue(any(d["kind"] == "hint" and d["line"] == 1 for d in r["diagnostics"]), r["diagnostics"])
            f.write_text("cdef void f() noexcept nogil:\n    print(1)\n    x = [1]\n")
            e["annotate"] = False
            r = label.label_one(e, "x")
            self.assertEqual(r["stopped_after"], "analysis")
            cats = {(d["line"], d["category"]) for d in r["diagnostics"] if d["kind"] == "error"}
            self.assertIn((1, "nogil-python-locals"), cats)
            self.assertIn((3, "py-construct"), cats)

    def test_html_parser(self):
        html = ('<pre class="cython line score-0">&#xA0;<span class="">1</span>: cdef int x</pre>\n'
                '<pre class="cython line score-17" onclick="(function(s){})(this)">+<span class="">2</span>: '
                'print(x)</pre>\n<pre class=\'cython code score-17 \'>...</pre>')
        self.assertEqual(parse_annotation_html(html), [{"line": 1, "score": 0}, {"line": 2, "score": 17}])



class PureModeLock(unittest.TestCase):
    def test_a_second_run_waits_for_the_one_holding_the_cache(self):
        # pure_mode.py rebuilds its sources under the shared cache: a run waits while another holds its lock
        with tempfile.TemporaryDirectory() as cache:
            root = Path(cache) / "conformance" / "pure-mode"
            root.mkdir(parents=True)
            with open(root / ".lock", "a") as held:
                fcntl.flock(held, fcntl.LOCK_EX)
                p = subprocess.Popen([sys.executable, str(Path(__file__).resolve().parent / "pure_mode.py"),
                                      "--groups", "examples"], env={**os.environ, "CYTHON_LENS_CACHE": cache},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                try:
                    first = p.stderr.readline()
                    self.assertIn("waiting for it", first)
                    self.assertIsNone(p.poll())
                finally:
                    fcntl.flock(held, fcntl.LOCK_UN)
            rest = p.communicate(timeout=120)[1]
            # then it runs: this cache has no sdist
            self.assertEqual(p.returncode, 2)
            self.assertIn("missing", rest)

if __name__ == "__main__":
    unittest.main()


class BroadCorpus(unittest.TestCase):
    """broad.py (templates, configure_file, include pieces, module choice, manifest) and the broad figures."""

    def test_tempita_and_configure(self):
        import broad
        t = "{{for n in names}}cdef int {{n}}_{{suffix}}\n{{endfor}}{{if FLAG}}x = 1{{else}}x = 2{{endif}}\n"
        self.assertEqual(broad.render_template(t, {"names": ["a", "b"], "suffix": "v", "FLAG": False}),
                         "cdef int a_v\ncdef int b_v\nx = 2\n")
        self.assertEqual(broad.configure_file("@A@\n# @B@\n", {"A": "ctypedef int blas_int", "B": "y"}),
                         "ctypedef int blas_int\n# y\n")
        with self.assertRaises(SystemExit):
            broad.configure_file("@MISSING@", {})
        self.assertIn(broad.configure_vars("scipy-blas-int")["BLAS_INT_DEF"],
                      ("ctypedef int blas_int", "from scipy.linalg.cython_blas cimport blas_int"))

    def _sdist(self, tmp: Path) -> Path:
        sd = tmp / "corpus" / "demo-1.0"
        pkg = sd / "src" / "demo"
        (pkg / "tests").mkdir(parents=True)
        (pkg / "sub").mkdir()
        (pkg / "__init__.py").write_text("")
        (pkg / "main.pyx").write_text('include "piece.pyx"\ncdef int f():\n    return 1\n')
        (pkg / "piece.pyx").write_text("cdef int g():\n    return 2\n")
        (pkg / "cpp.pyx").write_text("# distutils: language = c++\nfrom libcpp.vector cimport vector\n")
        (pkg / "sub" / "gen.pyx.in").write_text("{{for t in ['int', 'long']}}cdef {{t}} f_{{t}}():\n"
                                                "    return 0\n{{endfor}}")
        (pkg / "conf.pxi.in").write_text("@V@\n")
        (pkg / "tests" / "test_x.pyx").write_text("def test(): pass\n")
        (pkg / "data.csv").write_text("1,2\n")
        return sd

    def test_prepare_project(self):
        import broad
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            self._sdist(tmp)
            p = {"name": "demo", "sdist": "demo-1.0", "root": "src", "language_level": "3",
                 "directives": {"embedsignature": "True"}, "compile_env": {"CTE_V": 3},
                 "templates": [("**/*.pyx.in", ".in", None)], "include": ["demo/sub"], "deps": ["other"]}
            roots = {"demo": tmp / "out" / "demo", "other": tmp / "out" / "other"}
            old = broad.CORPUS_SRC
            broad.CORPUS_SRC = tmp / "corpus"
            try:
                p_conf = dict(p, configure=[("demo/conf.pxi.in", "demo/conf.pxi", "scipy-blas-int")])
                with self.assertRaises(SystemExit):  # conf.pxi.in has @V@, which scipy-blas-int does not define
                    broad.prepare_project(p_conf, roots)
                sd = {"demo": "demo-1.0", "other": "other-2.0"}
                modules, info = broad.prepare_project(p, roots, sd)
                again, _ = broad.prepare_project(p, roots, sd)
            finally:
                broad.CORPUS_SRC = old
            by_id = {m["id"]: m for m in modules}
            # piece.pyx is include'd by main.pyx: not a module; tests/ are excluded; the template is rendered
            self.assertEqual(sorted(by_id), ["broad/demo/demo/cpp.pyx", "broad/demo/demo/main.pyx",
                                             "broad/demo/demo/sub/gen.pyx"])
            self.assertEqual(info["skipped"]["included-piece"], ["demo/piece.pyx"])
            self.assertEqual(info["skipped"]["excluded"], ["demo/tests/test_x.pyx"])
            self.assertEqual(info["templates_rendered"], ["demo/sub/gen.pyx.in"])
            gen = roots["demo"] / "demo" / "sub" / "gen.pyx"
            self.assertIn("cdef long f_long():", gen.read_text())
            self.assertFalse((roots["demo"] / "demo" / "data.csv").exists())
            self.assertTrue(by_id["broad/demo/demo/cpp.pyx"]["cplus"])
            self.assertFalse(by_id["broad/demo/demo/main.pyx"]["cplus"])
            m = by_id["broad/demo/demo/main.pyx"]
            self.assertEqual(m["module"], "demo.main")
            self.assertEqual(m["cython_args"], ["-3", "-X", "embedsignature=True", "-E", "CTE_V=3"])
            self.assertEqual(m["include_dirs"][:3], [str(roots["demo"]), str(roots["demo"] / "demo/sub"),
                                                     str(roots["other"])])
            self.assertTrue(m["portable_key"] and m["annotate"])
            self.assertEqual(m["sdists"], ["demo-1.0", "other-2.0"])
            self.assertEqual([x["id"] for x in modules], [x["id"] for x in again])  # deterministic order
            self.assertEqual([x["id"] for x in modules], sorted(by_id, key=broad.order_key))

    def test_held_out_refused(self):
        import broad
        old = broad.PROJECTS
        broad.PROJECTS = old + [{"name": "pandas", "sdist": "pandas-3.0.0"}]
        try:
            with self.assertRaises(SystemExit):
                broad.project_table()
        finally:
            broad.PROJECTS = old
        self.assertGreaterEqual(len(broad.project_table()), 25)

    def test_portable_cache_key_and_committed_labels(self):
        import gzip
        import json
        import label
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            f1, f2 = tmp / "c1" / "m.pyx", tmp / "c2" / "m.pyx"
            for f in (f1, f2):
                f.parent.mkdir()
                f.write_text("cdef int x = 1\n")
            e1 = {"id": "broad/p/m.pyx", "path": str(f1), "module": "m", "cython_args": ["-3"], "cplus": False,
                  "annotate": True, "include_dirs": [str(tmp / "c1")], "portable_key": True, "ci": True}
            e2 = dict(e1, path=str(f2), include_dirs=[str(tmp / "c2")])
            old_cache = label.CACHE
            try:
                label.CACHE = tmp / "c1"
                k1 = label.cache_key(e1, "3.3.1")
                label.CACHE = tmp / "c2"
                k2 = label.cache_key(e2, "3.3.1")
            finally:
                label.CACHE = old_cache
            self.assertEqual(k1, k2)  # another cache location: the same key
            self.assertNotEqual(label.cache_key(dict(e1, cython_args=["-2"]), "3.3.1"), label.cache_key(e1, "3.3.1"))
            # another version of a dependency's sdist (its .pxd files): another key
            self.assertNotEqual(label.cache_key(dict(e1, sdists=["p-1", "dep-2"]), "3.3.1"),
                                label.cache_key(dict(e1, sdists=["p-1", "dep-3"]), "3.3.1"))
            # a committed label is used instead of compiling, with the entry's own path
            out = tmp / "out"
            (out / "broad-ci").mkdir(parents=True)
            (out / "broad-ci" / "manifest.json").write_text(json.dumps([e1]))
            key = label.cache_key(e1, label.cython_version())
            stored = {"id": e1["id"], "path": e1["id"], "sha256": "x", "cython": label.cython_version(), "argv": None,
                      "returncode": 0, "seconds": 1.0, "diagnostics": [], "other_diagnostics": [],
                      "stopped_after": None, "last_phase": "x", "annotations": [{"line": 1, "score": 2}]}
            committed = tmp / "committed.json.gz"
            with gzip.open(committed, "wt") as fh:
                json.dump({"format": label.LABEL_FORMAT, "cython": label.cython_version(), "labels": {key: stored}}, fh)
            saved = (label.OUT, label.COMMITTED_LABELS, label._committed)
            try:
                label.OUT, label.COMMITTED_LABELS, label._committed = out, committed, None
                res = label.label_corpus("broad-ci", jobs=1)
            finally:
                label.OUT, label.COMMITTED_LABELS, label._committed = saved
            self.assertEqual(res[0]["path"], str(f1))
            self.assertTrue(res[0]["from_committed"])
            self.assertEqual(json.loads((out / "broad-ci" / "label-stats.json").read_text())["compiled_now"], 0)

    def test_broad_figures(self):
        clean = lab("/r/p1/a.pyx", [d("warning", 2, "Unused entry 'x'")],
                    ann=[{"line": 1, "score": 0}, {"line": 2, "score": 4}, {"line": 3, "score": 9}])
        clean["id"] = "broad/p1/a.pyx"
        rejected = lab("/r/p2/b.pyx", [d("error", 1, "undeclared name not builtin: q")])
        rejected["id"] = "broad/p2/b.pyx"
        preds = {k: copy.deepcopy(v) for k, v in run.predictions_from_labels([clean, rejected]).items()}
        parsed = {"/r/p1/a.pyx": 0, "/r/p1/a.pxd": 1, "/r/p2/b.pyx": 0}
        roots = {"p1": Path("/r/p1"), "p2": Path("/r/p2")}
        rep = run.evaluate({"broad-ci": [clean, rejected]}, preds, parsed, roots)
        f = rep["figures"]
        self.assertEqual(f["broad-ci.false_error_lines"], 0)
        self.assertEqual(f["broad-ci.annotation_f1"], 1.0)
        self.assertEqual(f["broad-ci/p1.parse_clean"], 0.5)
        self.assertEqual(f["broad-ci.parse_clean"], round(2 / 3, 4))
        self.assertNotIn("broad-ci/p2.annotation_f1", f)  # the compiler rejects p2's only file: no annotations
        missed = run.check_targets(f)
        self.assertEqual(sorted(m.split(" ")[0] for m in missed), ["broad-ci.parse_clean", "broad-ci/p1.parse_clean"])
        # a CLI error on the clean file (two on one line) and one on the rejected file
        preds["/r/p1/a.pyx"]["diagnostics"] += [
            {"line": 3, "column": 1, "severity": "error", "code": "c1", "message": "'x' is not declared"},
            {"line": 3, "column": 5, "severity": "error", "code": "c1", "message": "'y' is not declared"},
            {"line": 2, "column": 1, "severity": "warning", "code": "w", "message": "not an error"}]
        preds["/r/p2/b.pyx"]["diagnostics"].append({"line": 9, "column": 1, "severity": "error", "code": "c",
                                                    "message": "boom"})
        rep = run.evaluate({"broad-ci": [clean, rejected]}, preds, parsed, roots)
        b = rep["corpora"]["broad-ci"]
        self.assertEqual(rep["figures"]["broad-ci.false_error_lines"], 1)
        self.assertEqual(rep["figures"]["broad-ci/p1.false_error_lines"], 1)
        self.assertEqual(rep["figures"]["broad-ci/p2.false_error_lines"], 0)
        self.assertEqual(len(b["false_error_items"]), 2)
        self.assertEqual(b["false_error_items"][0]["code"], "c1")
        self.assertEqual(b["pooled"]["false_errors"]["by_message"], {"'…' is not declared": 2})
        self.assertEqual(run.target_of("broad/p1.parse_clean"), (">=", 0.995))
        self.assertEqual(run.target_of("broad-ci.annotation_spearman"), (">=", 0.80))
        self.assertIsNone(run.target_of("broad-ci/p1.unknown_metric"))
        self.assertIsNone(run.target_of("sklearn.parse_clean"))
        status = {t["name"]: t["met"] for t in run.target_status(rep["figures"])}
        self.assertFalse(status["broad-ci/p1.false_error_lines"])
        self.assertTrue(status["broad-ci/p2.false_error_lines"])
