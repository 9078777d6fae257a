"""Python ctypes facts: library handles, the functions bound on them, ctypes types."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.findings import NotificationKind
from interop_lint.analyzer.python.facts import (
    CtypesField,
    CtypesKind,
    CtypesType,
    PythonFileFacts,
)
from interop_lint.analyzer.python.values import library_name
from interop_lint.analyzer.source import SourceFile
from interop_lint.analyzer.typesys.ctypes_layout import explicit_padding_removed
from tests.conftest import ROOT, Project


def _facts(code: str) -> PythonFileFacts:
    source = SourceFile("pkg/binding.py", FileKind.PYTHON, textwrap.dedent(code).encode())
    facts = extract_facts(source)
    assert not facts.notifications, facts.notifications
    assert facts.python is not None
    return facts.python


def _bound(facts: PythonFileFacts) -> dict[str, tuple[str | None, str | None, list[str] | None]]:
    """symbol -> (library name, restype, argtypes) of every binding."""
    found = {}
    for binding in facts.bindings:
        restype = binding.restypes[-1].type.spell() if binding.restypes else None
        argtypes = binding.argtypes[-1].types if binding.argtypes else None
        found[binding.symbol] = (
            facts.libraries[binding.library].name,
            restype,
            [t.spell() for t in argtypes] if argtypes is not None else None,
        )
    return found


@pytest.mark.parametrize(
    ("expression", "name"),
    [
        ('"./libengine.so"', "libengine"),
        ('"engine.dll"', "engine"),
        ('"libengine.so.1"', "libengine"),
        ('os.path.join(HERE, "target", "release", "libengine.dylib")', "libengine"),
        ('str(pathlib.Path(__file__).parent / "libengine.so")', "libengine"),
        ('ctypes.util.find_library("engine")', "engine"),
        ('ctypes.util.find_library("engine") or "libengine.so"', "engine"),
        ('f"{HERE}/libengine.{SUFFIX}"', "libengine"),
        ('"libengine.dylib" if DARWIN else "libengine.so"', "libengine"),
        ("LIBRARY", "libengine"),
        ("_path()", "libengine"),
        ('"lib%s.so" % NAME', None),
        ('PREFIX + "libengine" + SUFFIX', "libengine"),
        ('{"win32": ""}.get(sys.platform, "lib") + "engine" + SUFFIX', "engine"),
        ("sys.argv[1]", None),
    ],
)
def test_the_library_name_comes_from_the_literal_file_name(expression: str, name: str) -> None:
    facts = _facts(
        f"""
        import ctypes, ctypes.util, os, pathlib, sys
        LIBRARY = os.path.join(os.path.dirname(__file__), "libengine.so")
        def _path():
            return LIBRARY
        lib = ctypes.CDLL({expression})
        lib.engine_new.restype = ctypes.c_void_p
        """
    )
    assert [library.name for library in facts.libraries] == [name]


def test_library_names_keep_the_stem_of_the_last_path_segment() -> None:
    assert library_name("C:\\libs\\engine.dll") == "engine"
    assert library_name("{}/lib{}.so") is None  # only the prefix is known
    assert library_name("{}") is None


@pytest.mark.parametrize(
    "loading",
    [
        'import ctypes\nlib = ctypes.CDLL("libengine.so")',
        'import ctypes as C\nlib = C.CDLL("libengine.so")',
        'from ctypes import CDLL\nlib = CDLL("libengine.so")',
        'from ctypes import CDLL as Load\nlib = Load("libengine.so")',
        'from ctypes import *\nlib = CDLL("libengine.so")',
        'import ctypes\nlib = ctypes.cdll.LoadLibrary("libengine.so")',
        'from ctypes import cdll\nlib = cdll.LoadLibrary("libengine.so")',
        'import ctypes\nlib = ctypes.PyDLL("libengine.so")',
        'import ctypes\nimport numpy as np\nlib = np.ctypeslib.load_library("libengine", ".")',
    ],
)
def test_every_way_of_loading_a_library(loading: str) -> None:
    facts = _facts(loading + "\nlib.engine_new.restype = None\n")
    assert _bound(facts) == {"engine_new": ("libengine", "None", None)}


def test_handles_held_by_classes_functions_and_loaders() -> None:
    facts = _facts(
        """
        import ctypes

        class Engine:
            _shared = ctypes.CDLL("libshared.so")

            def __init__(self):
                self._lib = ctypes.CDLL("libengine.so")
                self._lib.engine_new.restype = ctypes.c_void_p

            def run(self):
                self._lib.engine_run.argtypes = [ctypes.c_void_p]
                return self._lib.engine_run(None)

            @classmethod
            def version(cls):
                cls._shared.shared_version.restype = ctypes.c_uint32

        def _load():
            lib = ctypes.CDLL("libloaded.so")
            return lib

        _loaded = _load()
        _loaded.loaded_ping.restype = None

        _lazy = None

        def _get():
            global _lazy
            if _lazy is None:
                _lazy = ctypes.CDLL("liblazy.so")
            return _lazy

        _get().lazy_ping.restype = None
        """
    )
    assert _bound(facts) == {
        "engine_new": ("libengine", "c_void_p", None),
        "engine_run": ("libengine", None, ["c_void_p"]),
        "shared_version": ("libshared", "c_uint32", None),
        "loaded_ping": ("libloaded", "None", None),
        "lazy_ping": ("liblazy", "None", None),
    }


def test_functions_through_getattr_subscripts_and_variables() -> None:
    facts = _facts(
        """
        import ctypes
        lib = ctypes.CDLL("libengine.so")
        new = getattr(lib, "engine_new")
        new.restype = ctypes.c_void_p
        free = lib["engine_free"]
        free.argtypes = (ctypes.c_void_p,)
        run = lib.engine_run
        run.argtypes = ARGS = [ctypes.c_void_p, ctypes.c_size_t]
        lib.engine_run(None, 1)
        lib._handle
        """
    )
    assert _bound(facts) == {
        "engine_new": ("libengine", "c_void_p", None),
        "engine_free": ("libengine", None, ["c_void_p"]),
        "engine_run": ("libengine", None, ["c_void_p", "c_size_t"]),
    }
    assert not facts.libraries[0].dynamic


def test_computed_names_make_a_library_dynamic() -> None:
    facts = _facts(
        """
        import ctypes
        lib = ctypes.CDLL("libengine.so")
        for name in names_from_the_configuration():
            getattr(lib, name).restype = ctypes.c_void_p
        lib.engine_new()
        """
    )
    assert facts.libraries[0].dynamic
    assert _bound(facts) == {"engine_new": ("libengine", None, None)}


def test_a_parameter_is_the_library_passed_to_it_or_a_library_of_its_own() -> None:
    facts = _facts(
        """
        import ctypes

        def configure(lib):
            lib.engine_new.restype = ctypes.c_void_p
            return lib

        def unknown(handle):
            handle.other_new.restype = ctypes.c_void_p
            handle.other_run()

        _lib = configure(ctypes.CDLL("libengine.so"))
        """
    )
    assert _bound(facts) == {
        "engine_new": ("libengine", "c_void_p", None),
        "other_new": (None, "c_void_p", None),
        "other_run": (None, None, None),
    }
    assert [library.loader for library in facts.libraries] == ["CDLL", "parameter"]


def test_ctypes_types_aliases_and_structures() -> None:
    facts = _facts(
        """
        import ctypes
        from ctypes import POINTER, Structure, c_int
        from .types import Imported

        Handle = ctypes.c_void_p
        Callback = ctypes.CFUNCTYPE(None, c_int, ctypes.c_void_p)

        class Owned(ctypes.c_char_p):
            pass

        class Point(Structure):
            _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double)]

        class Node(Structure):
            pass

        Node._fields_ = [("next", POINTER(Node)), ("values", c_int * 4), ("flag", c_int, 1)]

        class Packed(Structure):
            _pack_ = 1
            _fields_ = [("a", ctypes.c_uint8), ("b", ctypes.c_uint32)]

        lib = ctypes.CDLL("libx.so")
        lib.f.argtypes = [Handle, Callback, POINTER(Point), Point * 2, Imported, object]
        lib.f.restype = Owned
        """
    )
    assert _bound(facts)["f"] == (
        "libx",
        "Owned",
        [
            "c_void_p",
            "CFUNCTYPE(None, c_int, c_void_p)",
            "POINTER(Point)",
            "Point * 2",
            "Imported",
            "?",
        ],
    )
    argtypes = facts.bindings[0].argtypes[0].types
    assert argtypes is not None
    assert [t.kind for t in argtypes] == [
        CtypesKind.SIMPLE,
        CtypesKind.FUNCTION,
        CtypesKind.POINTER,
        CtypesKind.ARRAY,
        CtypesKind.NAMED,
        CtypesKind.UNKNOWN,
    ]
    structures = {s.name: s for s in facts.structures}
    assert [f.name for f in structures["Point"].fields or ()] == ["x", "y"]
    assert not structures["Point"].inexact
    assert structures["Node"].inexact  # a bit-field
    assert structures["Packed"].inexact
    aliases = {a.name: a.type.spell() for a in facts.aliases}
    assert aliases["Handle"] == "c_void_p"
    assert aliases["Owned"] == "Owned"


def test_argtypes_joined_and_repeated_lists_are_read() -> None:
    facts = _facts(
        """
        import ctypes
        from ctypes import c_char_p, c_int

        PATHS = [c_char_p] * 2
        lib = ctypes.CDLL("libx.so")
        lib.project.argtypes = [c_char_p] * 3 + [c_int]
        lib.plan.argtypes = PATHS + 2 * (c_int,)
        lib.none.argtypes = [c_int] * 0
        lib.computed.argtypes = [c_char_p] * COUNT
        lib.huge.argtypes = [c_int] * 100000
        """
    )
    bound = {symbol: argtypes for symbol, (_, _, argtypes) in _bound(facts).items()}
    assert bound == {
        "project": ["c_char_p", "c_char_p", "c_char_p", "c_int"],
        "plan": ["c_char_p", "c_char_p", "c_int", "c_int"],
        "none": [],
        "computed": None,
        "huge": None,
    }


def test_a_loop_over_bound_functions_sets_each_one() -> None:
    facts = _facts(
        """
        import ctypes

        lib = ctypes.CDLL("libx.so")
        NAMED = [lib.add_name, lib.add_author]
        for f in NAMED:
            f.argtypes = [ctypes.c_char_p]
            f.restype = ctypes.c_int
        for g in (lib.engine_new,):
            g.restype = ctypes.c_void_p
        for h in [lib.other]:
            print(h)

        class TestMeta:
            def setUp(self):
                self.functions = [lib.add_origin]
                for i in self.functions:
                    i.restype = ctypes.c_int
        """
    )
    assert _bound(facts) == {
        "add_name": ("libx", "c_int", ["c_char_p"]),
        "add_author": ("libx", "c_int", ["c_char_p"]),
        "engine_new": ("libx", "c_void_p", None),
        "other": ("libx", None, None),
        "add_origin": ("libx", "c_int", None),
    }


def test_locations_count_utf16_columns_and_start_at_the_first_access() -> None:
    facts = _facts(
        """
        import ctypes
        lib = ctypes.CDLL("libengine.so")
        s = "é😀"; lib.engine_new()
        lib.engine_new.restype = ctypes.c_void_p
        """
    )
    (binding,) = facts.bindings
    assert (binding.first_access.line, binding.first_access.column) == (4, 12)
    assert binding.first_access.end_column == 26
    assert binding.restypes[0].location.line == 5


def test_a_file_without_ctypes_is_not_parsed() -> None:
    source = SourceFile("a.py", FileKind.PYTHON, b"import os\nx = (\n")
    facts = extract_facts(source)
    assert facts.python is None and not facts.notifications


@pytest.mark.parametrize(
    ("code", "kind", "line"),
    [
        ("import ctypes\ndef f(:\n    pass\n", NotificationKind.PARSE_ERROR, 2),
        ("import ctypes\nx = " + "[" * 10_000 + "]" * 10_000 + "\n", NotificationKind.SKIPPED, 2),
        ("import ctypes\nx = " + "-" * 10_000 + "1\n", NotificationKind.SKIPPED, 0),
        ("import ctypes\nx = " + "+".join(["1"] * 10_000) + "\n", NotificationKind.SKIPPED, 0),
        ("import ctypes\nx = a" + ".b" * 10_000 + "\n", NotificationKind.SKIPPED, 0),
        ("import ctypes\nx = f" + "()" * 10_000 + "\n", NotificationKind.SKIPPED, 0),
        # Newer syntax than this Python's `ast`: measured by its tokens instead.
        ("type T = int\nimport ctypes\nx = " + "not " * 9_999 + "1\n", NotificationKind.SKIPPED, 3),
        ("import ctypes\nx = '\xff'\n".encode("latin-1"), NotificationKind.PARSE_ERROR, 2),
    ],
)
def test_broken_or_deeply_nested_python_is_a_notification(
    code: str | bytes, kind: NotificationKind, line: int
) -> None:
    data = code if isinstance(code, bytes) else code.encode()
    facts = extract_facts(SourceFile("deep.py", FileKind.PYTHON, data))
    assert [(n.kind, n.line) for n in facts.notifications] == [(kind, line)]
    assert facts.python is None


def test_syntax_newer_than_this_python_is_still_read() -> None:
    facts = _facts(
        """
        import ctypes
        type Handle = int
        lib = ctypes.CDLL("libengine.so")
        lib.engine_new.restype = ctypes.c_void_p
        """
    )
    assert _bound(facts) == {"engine_new": ("libengine", "c_void_p", None)}


def test_libcst_is_imported_only_for_files_that_use_ctypes(project: Project) -> None:
    project.write("src/lib.rs", '#[no_mangle]\npub extern "C" fn f() {}\n')
    project.write("tool.py", "import os\nprint(os.getcwd())\n")
    script = (
        "import sys\n"
        "from interop_lint.cli import main\n"
        "try:\n"
        "    main(['check', '.'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('libcst' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert completed.stdout.splitlines()[-1] == "False", completed.stderr
    version = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom interop_lint.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print('libcst' in sys.modules)\n",
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    assert version.stdout.splitlines()[-1] == "False", version.stderr


def test_a_helper_that_binds_by_name_makes_a_binding_per_call() -> None:
    facts = _facts(
        """
        import ctypes
        _lib = ctypes.CDLL("libengine.so")

        def _fn(name, restype, *argtypes):
            function = getattr(_lib, name)
            function.restype = restype
            function.argtypes = argtypes
            return function

        def _bind(lib, name, argtypes=(), restype=None):
            f = getattr(lib, name)
            f.argtypes = list(argtypes)
            f.restype = restype
            return f

        new = _fn("engine_new", ctypes.c_void_p, ctypes.c_uint32)
        free = _bind(_lib, "engine_free", [ctypes.c_void_p])
        run = _bind(_lib, "engine_run", restype=ctypes.c_int)
        """
    )
    assert _bound(facts) == {
        "engine_new": ("libengine", "c_void_p", ["c_uint32"]),
        "engine_free": ("libengine", "None", ["c_void_p"]),
        "engine_run": ("libengine", "c_int", []),
    }
    assert not facts.libraries[0].dynamic
    new = next(b for b in facts.bindings if b.symbol == "engine_new")
    assert new.restypes[0].location == new.first_access  # the helper's call


def test_a_helper_that_calls_by_name_makes_a_binding_per_call() -> None:
    facts = _facts(
        """
        import ctypes
        LIB = ctypes.CDLL("libengine.so")

        def do_call(fn_name, *args):
            lib_fn = getattr(LIB, fn_name)
            if lib_fn(*args):
                raise RuntimeError(fn_name)

        do_call("engine_start", 1)
        do_call("engine_stop")
        """
    )
    assert _bound(facts) == {
        "engine_start": ("libengine", None, None),
        "engine_stop": ("libengine", None, None),
    }
    assert not facts.libraries[0].dynamic


def test_a_helper_that_hands_the_function_out_leaves_the_library_dynamic() -> None:
    facts = _facts(
        """
        import ctypes
        LIB = ctypes.CDLL("libengine.so")

        def lookup(fn_name):
            function = getattr(LIB, fn_name)
            function.__doc__ and function()  # called, but handed out too
            return function

        lookup("engine_start").restype = ctypes.c_void_p
        """
    )
    assert facts.libraries[0].dynamic


def test_a_loop_over_a_signature_table_makes_a_binding_per_row() -> None:
    facts = _facts(
        """
        import ctypes
        from ctypes import c_int64, c_void_p
        _lib = ctypes.CDLL("libengine.so")

        SIGNATURES = {
            "engine_new": ([], c_void_p),
            "engine_seek": ([c_void_p, c_int64], c_int64),
        }
        for name, (argtypes, restype) in SIGNATURES.items():
            fn = getattr(_lib, name)
            fn.argtypes = argtypes
            fn.restype = restype

        for name, restype, argtypes in [
            ("engine_free", None, [c_void_p]),
            ("engine_len", c_int64, (c_void_p,)),
        ]:
            setattr(_lib[name], "restype", restype)
            setattr(_lib[name], "argtypes", list(argtypes))

        for name in ["engine_reset", "engine_stop"]:
            getattr(_lib, name).restype = None  # the same for every row

        for name, (argtypes, restype) in TABLE_FROM_ELSEWHERE.items():
            getattr(_lib, name).restype = restype  # rows nobody can read: no binding
        for name, argtypes in [("engine_odd", [c_void_p], None)]:
            getattr(_lib, name).argtypes = argtypes  # the row is not the target's shape
        """
    )
    assert _bound(facts) == {
        "engine_new": ("libengine", "c_void_p", []),
        "engine_seek": ("libengine", "c_int64", ["c_void_p", "c_int64"]),
        "engine_free": ("libengine", "None", ["c_void_p"]),
        "engine_len": ("libengine", "c_int64", ["c_void_p"]),
        "engine_reset": ("libengine", "None", None),
        "engine_stop": ("libengine", "None", None),
    }
    seek = next(b for b in facts.bindings if b.symbol == "engine_seek")
    assert seek.first_access.line == 8  # the row's name
    assert seek.restypes[0].location == seek.argtypes[0].location == seek.first_access


def test_a_signature_table_keyed_without_the_prefix_binds_the_prefixed_names() -> None:
    """pqsio's tables: `getattr(lib, "pq_" + name)`, and the same as f-strings."""
    facts = _facts(
        """
        import ctypes
        from ctypes import c_int64, c_void_p
        _lib = ctypes.CDLL("libpq.so")

        for name, restype in {"open": c_void_p}.items():
            getattr(_lib, "pq_" + name).restype = restype
        for name, restype in {"len": c_int64}.items():
            getattr(_lib, "pq_" + name + "_v2").restype = restype
        for name, restype in {"seek": c_int64}.items():
            getattr(_lib, f"pq_{name}_at").restype = restype
        for name, restype in {"stat": c_int64}.items():
            getattr(_lib, f"pq_{name!r}").restype = restype  # not the name as written
        """
    )
    assert _bound(facts) == {
        "pq_open": ("libpq", "c_void_p", None),
        "pq_len_v2": ("libpq", "c_int64", None),
        "pq_seek_at": ("libpq", "c_int64", None),
    }


def test_handles_imported_from_another_module_are_recorded_by_origin() -> None:
    facts = _facts(
        """
        import ctypes
        from ._native import lib
        from . import _other
        import pkg.loader as loader

        lib.engine_new.restype = ctypes.c_void_p
        _other.lib.other_new.restype = ctypes.c_void_p
        loader.LIB.loaded_new.restype = ctypes.c_void_p
        lib.engine_run()
        ctypes.pythonapi.Py_IncRef.argtypes = [ctypes.py_object]
        """
    )
    assert [(lib.loader, lib.origin) for lib in facts.libraries] == [
        ("import", "._native:lib"),
        ("import", "._other:lib"),
        ("import", "pkg.loader:LIB"),
    ]
    assert sorted(b.symbol for b in facts.bindings) == [
        "engine_new",
        "engine_run",
        "loaded_new",
        "other_new",
    ]
    assert [(h.name, h.library) for h in facts.handles] == [("lib", 0)]


def test_a_holder_set_from_where_the_module_cannot_see_is_a_library_of_its_own() -> None:
    facts = _facts(
        """
        import ctypes

        class Engine:
            def __init__(self, lib):
                self._lib = lib
                self._lib.engine_new.restype = ctypes.c_void_p

            def run(self):
                return self._lib.engine_run()

            def size(self, thing):
                thing.compute.size = 3
                return len(thing.items)
        """
    )
    assert [library.loader for library in facts.libraries] == ["unseen"]
    assert _bound(facts) == {
        "engine_new": (None, "c_void_p", None),
        "engine_run": (None, None, None),
    }


def test_a_method_that_binds_by_subscript_is_a_helper_too() -> None:
    facts = _facts(
        """
        import ctypes

        class Native:
            def __init__(self, path):
                self.lib = ctypes.cdll.LoadLibrary(path)
                self.new = self.function("engine_new", [ctypes.c_uint32], ctypes.c_void_p)

            def function(self, name, argtypes, restype):
                found = self.lib[name]
                found.restype = restype
                found.argtypes = argtypes
                return found

            def close(self):
                self.function("engine_free", argtypes=[ctypes.c_void_p], restype=None)
        """
    )
    assert _bound(facts) == {
        "engine_new": (None, "c_void_p", ["c_uint32"]),
        "engine_free": (None, "None", ["c_void_p"]),
    }
    assert not facts.libraries[0].dynamic


def _field(name: str, ctype: str, length: int | None = None) -> CtypesField:
    simple = CtypesType(CtypesKind.SIMPLE, ctype)
    if length is None:
        return CtypesField(name, simple)
    return CtypesField(name, CtypesType(CtypesKind.ARRAY, of=simple, length=length))


@pytest.mark.parametrize(
    ("fields", "kept"),
    [
        # the four bytes before an 8-aligned pointer: padding
        ([("a", "c_uint32"), ("_pad", "c_uint32"), ("p", "c_void_p")], ["a", "p"]),
        # an array of bytes, named padding1
        ([("a", "c_uint8"), ("padding1", "c_uint8", 7), ("b", "c_uint64")], ["a", "b"]),
        # named padding, but it moves `p` (to 16): a real difference
        ([("a", "c_uint32"), ("_reserved", "c_uint64"), ("p", "c_void_p")], None),
        # a padding-like name of a non-integer type is a field
        ([("a", "c_uint32"), ("_pad", "c_void_p")], None),
        # a field not named as padding stays
        ([("a", "c_uint32"), ("gap", "c_uint32"), ("p", "c_void_p")], None),
        # padding at the end that fills what alignment adds (polyplug's `_tail_pad`)
        ([("p", "c_void_p"), ("a", "c_uint32"), ("_tail_pad", "c_uint32")], ["p", "a"]),
        # reserved bytes at the end that make the structure larger: a real difference
        ([("p", "c_void_p"), ("a", "c_uint32"), ("_reserved", "c_uint32", 3)], None),
    ],
)
def test_explicit_padding_removed(fields: list[tuple], kept: list[str] | None) -> None:
    written = tuple(_field(*f) for f in fields)
    found = explicit_padding_removed(written)
    expected = [f[0] for f in fields] if kept is None else kept
    assert [f.name for f in found] == expected
