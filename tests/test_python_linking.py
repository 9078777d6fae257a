"""XL107 end to end: which crate a ctypes handle binds, and what the user reads."""

from __future__ import annotations

import json

from tests.conftest import Project, run_cli, run_sarif

CRATE = """[package]
name = "{name}"
version = "0.1.0"
edition = "2021"

[lib]
{lib}crate-type = ["cdylib"]
"""


def _crate(project: Project, directory: str, name: str, lib: str, lib_name: str = "") -> None:
    renamed = f'name = "{lib_name}"\n' if lib_name else ""
    project.write(f"{directory}/Cargo.toml", CRATE.format(name=name, lib=renamed))
    project.write(f"{directory}/src/lib.rs", lib)


def _xl107(project: Project, *args: str) -> list[tuple[str, int, str]]:
    result = run_cli(["check", "--format", "json", "--select", "XL107", *args], cwd=project.root)
    assert result.exit_code in (0, 1), result.output
    return [(f["path"], f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def _lines(project: Project, *args: str) -> list[tuple[str, int]]:
    return [(path, line) for path, line, _ in _xl107(project, *args)]


VERSION_U32 = '#[no_mangle]\npub extern "C" fn version() -> u32 { 1 }\n'
VERSION_U64 = '#[no_mangle]\npub extern "C" fn version() -> u64 { 1 }\n'


def test_the_library_file_name_picks_the_crate(project: Project) -> None:
    _crate(project, "crates/alpha", "alpha", VERSION_U32)
    _crate(project, "crates/beta", "beta-core", VERSION_U64, lib_name="beta")
    project.write(
        "py/bind.py",
        "import ctypes\n"
        'a = ctypes.CDLL("libalpha.so")\n'
        "a.version.restype = ctypes.c_uint32\n"
        'b = ctypes.CDLL("beta.dll")\n'
        "b.version.restype = ctypes.c_uint32\n",
    )
    assert _lines(project) == [("py/bind.py", 5)]


def test_a_package_name_matches_with_underscores(project: Project) -> None:
    _crate(project, "core", "fast-core", VERSION_U64)
    project.write(
        "bind.py",
        "import ctypes\n"
        'lib = ctypes.CDLL("./libfast_core.so")\n'
        "lib.version.restype = ctypes.c_int\n",
    )
    assert _lines(project) == [("bind.py", 3)]


def test_the_nearest_crate_of_that_name_wins(project: Project) -> None:
    for directory, body in (("one", VERSION_U32), ("two", VERSION_U64)):
        _crate(project, directory, "engine", body)
        project.write(
            f"{directory}/python/bind.py",
            'import ctypes\nlib = ctypes.CDLL("libengine.so")\n'
            "lib.version.restype = ctypes.c_uint32\n",
        )
    assert _lines(project) == [("two/python/bind.py", 3)]


def test_without_a_name_the_crate_exporting_every_bound_function_is_linked(
    project: Project,
) -> None:
    _crate(project, "alpha", "alpha", VERSION_U32)
    _crate(
        project,
        "beta",
        "beta",
        VERSION_U64 + '#[no_mangle]\npub extern "C" fn beta_only() {}\n',
    )
    project.write(
        "bind.py",
        "import ctypes, sys\n"
        "lib = ctypes.CDLL(sys.argv[1])\n"
        "lib.version.restype = ctypes.c_uint32\n"
        "lib.beta_only.restype = None\n",
    )
    assert _lines(project) == [("bind.py", 3)]
    # Bound on nothing but `version`, the handle could be either crate: no link.
    project.write(
        "bind.py",
        "import ctypes, sys\nlib = ctypes.CDLL(sys.argv[1])\nlib.version.restype = ctypes.c_int8\n",
    )
    assert _lines(project) == []


ENTRY_MACRO = """
#[macro_export]
macro_rules! entry {
    () => {
        #[no_mangle]
        pub extern "C" fn plugin_create() -> *mut u8 { std::ptr::null_mut() }
    };
}
"""


def test_a_library_carries_the_exports_of_the_crates_it_depends_on_by_path(
    project: Project,
) -> None:
    """A thin cdylib re-exports an FFI crate (`pub use ffi::*`) named through the
    workspace; a handle loaded from a computed path binds a macro-generated entry
    point no crate spells out, and links the crate that builds the shared library."""
    project.write(
        "Cargo.toml",
        '[workspace]\nmembers = ["ffi", "plugin"]\n\n'
        '[workspace.dependencies]\nffi = { path = "ffi" }\n',
    )
    project.write(
        "ffi/Cargo.toml", '[package]\nname = "ffi"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    project.write("ffi/src/lib.rs", VERSION_U64 + ENTRY_MACRO)
    _crate(project, "plugin", "plugin", "ffi::entry!();\npub use ffi::version;\n")
    manifest = project.root / "plugin/Cargo.toml"
    manifest.write_text(manifest.read_text() + "\n[dependencies]\nffi = { workspace = true }\n")
    project.write(
        "by_name.py",
        'import ctypes\nlib = ctypes.CDLL("libplugin.so")\nlib.version.restype = ctypes.c_int\n',
    )
    project.write(
        "by_path.py",
        "import ctypes, sys\n"
        "lib = ctypes.CDLL(sys.argv[1])\n"
        "lib.plugin_create.restype = ctypes.c_void_p\n"
        "lib.version.restype = ctypes.c_int\n",
    )
    assert _lines(project) == [("by_name.py", 3), ("by_path.py", 4)]
    assert "returns `u64` in ffi/src/lib.rs:2" in _xl107(project)[0][2]


def test_a_computed_path_links_despite_a_name_no_crate_exports(project: Project) -> None:
    """rustfst's binding loads a globbed path and calls a string-freeing function the
    crate no longer exports: the handle is still the crate's."""
    _crate(project, "engine", "engine", VERSION_U64 + '#[no_mangle]\npub extern "C" fn run() {}\n')
    project.write(
        "bind.py",
        "import ctypes, glob\n"
        'lib = ctypes.CDLL(glob.glob("target/*.so")[0])\n'
        "lib.version.restype = ctypes.c_uint32\n"
        "lib.run.restype = None\n"
        "lib.engine_destroy_string(None)\n",
    )
    assert _lines(project) == [("bind.py", 3)]


def test_functions_the_linked_crate_does_not_export_are_not_checked(project: Project) -> None:
    _crate(project, ".", "engine", VERSION_U32)
    _crate(project, "other", "other", '#[no_mangle]\npub extern "C" fn strlen() -> u8 { 0 }\n')
    project.write(
        "bind.py",
        "import ctypes\n"
        'lib = ctypes.CDLL("libengine.so")\n'
        "lib.version.restype = ctypes.c_uint32\n"
        "lib.strlen.restype = ctypes.c_size_t\n"
        'libc = ctypes.CDLL("libc.so.6")\n'
        "libc.malloc(10)\n"
        "libc.strlen.restype = ctypes.c_size_t\n",
    )
    assert _lines(project) == []


ENGINE = """
use std::ffi::{c_char, CString};

pub struct Engine;

#[repr(C)]
pub struct Stats {
    pub count: u64,
    pub mean: f64,
}

#[no_mangle]
pub extern "C" fn engine_new() -> *mut Engine {
    Box::into_raw(Box::new(Engine))
}

#[no_mangle]
pub extern "C" fn engine_fill(engine: *mut Engine, data: *const u8, len: usize) -> i32 {
    0
}

#[no_mangle]
pub extern "C" fn engine_stats(engine: *const Engine) -> Stats {
    Stats { count: 0, mean: 0.0 }
}

#[no_mangle]
pub extern "C" fn engine_name() -> *mut c_char {
    CString::new("x").map(CString::into_raw).unwrap_or(std::ptr::null_mut())
}

#[no_mangle]
pub unsafe extern "C" fn engine_string_free(s: *mut c_char) {
    if !s.is_null() {
        drop(CString::from_raw(s));
    }
}
"""

BINDING = """import ctypes

class Stats(ctypes.Structure):
    _fields_ = [("count", ctypes.c_uint32), ("mean", ctypes.c_double)]

lib = ctypes.CDLL("libengine.so")
lib.engine_new.argtypes = []
lib.engine_fill.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.engine_fill.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
lib.engine_stats.restype = Stats
lib.engine_name.restype = ctypes.c_char_p
lib.engine_string_free.restype = Stats
"""


def test_messages_name_the_function_the_position_and_both_types(project: Project) -> None:
    _crate(project, "rust", "engine", ENGINE)
    project.write("engine.py", BINDING)
    assert _xl107(project) == [
        (
            "engine.py",
            7,
            "`engine_new.restype` is not set: ctypes assumes C `int` and truncates the "
            "`*mut Engine` that `engine_new` returns (rust/src/lib.rs:13); "
            "set `restype = c_void_p`",
        ),
        (
            "engine.py",
            8,
            "`engine_fill.argtypes` lists 2 type(s) but `engine_fill` takes 3 parameter(s) "
            "in rust/src/lib.rs:18",
        ),
        (
            "engine.py",
            9,
            "parameter 2 (`data`) of `engine_fill` is `c_int` in `argtypes` but `*const u8` "
            "in rust/src/lib.rs:18; parameter 3 (`len`) is `c_int` but `usize`",
        ),
        (
            "engine.py",
            10,
            "`engine_stats.restype` is `Stats`, whose `_fields_` differ from the Rust struct "
            "`Stats` (rust/src/lib.rs:7): field 1 (`count`) is `c_uint32` here but `u64` in Rust",
        ),
        (
            "engine.py",
            11,
            "`engine_name.restype` is `c_char_p`: ctypes copies the string into `bytes` and "
            "drops the pointer that `engine_name` hands out (rust/src/lib.rs:28), so it can "
            "never be given back to `engine_string_free`; set `restype = c_void_p` and free "
            "it after reading it",
        ),
        (
            "engine.py",
            12,
            "`engine_string_free.restype` is `Stats` but `engine_string_free` returns "
            "nothing in rust/src/lib.rs:33; set `restype = None`",
        ),
    ]


def test_a_scalar_restype_where_rust_returns_nothing_is_harmless(project: Project) -> None:
    """`c_void_p` read as `void` (LakeSoul's bindings): the register is never read back;
    a callback declared returning a value Rust never reads, likewise."""
    _crate(project, "rust", "engine", ENGINE + CALLBACK_EXPORT)
    project.write(
        "engine.py",
        "import ctypes\n"
        'lib = ctypes.CDLL("libengine.so")\n'
        "lib.engine_string_free.restype = ctypes.c_void_p\n"
        "lib.engine_string_free.argtypes = [ctypes.c_void_p]\n"
        "DONE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)\n"
        "lib.engine_on_done.argtypes = [DONE, ctypes.c_void_p]\n"
        "lib.engine_on_done.restype = None\n",
    )
    assert _xl107(project) == []


CALLBACK_EXPORT = """
#[no_mangle]
pub extern "C" fn engine_on_done(
    done: extern "C" fn(*mut std::ffi::c_void),
    user: *mut std::ffi::c_void,
) {
    done(user)
}
"""


def test_sarif_links_the_rust_export_and_struct(project: Project) -> None:
    _crate(project, "rust", "engine", ENGINE)
    project.write("engine.py", BINDING)
    results = run_sarif(project.root, "--select", "XL107")["runs"][0]["results"]
    stats = next(r for r in results if "engine_stats" in r["message"]["text"])
    assert "[rust/src/lib.rs:7](2)" in stats["message"]["text"]
    related = [
        (
            r["physicalLocation"]["artifactLocation"]["uri"],
            r["physicalLocation"]["region"]["startLine"],
            r["message"]["text"],
        )
        for r in stats["relatedLocations"]
    ]
    assert related == [
        ("rust/src/lib.rs", 23, "the Rust export `engine_stats`"),
        ("rust/src/lib.rs", 7, "the Rust struct `Stats`"),
        ("engine.py", 4, "the `_fields_` of `Stats`"),
    ]


def test_a_suppression_comment_and_changed_files_mode(project: Project) -> None:
    _crate(project, "rust", "engine", ENGINE)
    project.write(
        "engine.py",
        "import ctypes\n"
        'lib = ctypes.CDLL("libengine.so")\n'
        "# interop-lint: ignore[XL107]\n"
        "lib.engine_new()\n"
        "lib.engine_fill.argtypes = []\n",
    )
    assert _lines(project) == [("engine.py", 5)]
    # Naming only the Rust side still reports the Python binding of it.
    assert _lines(project, "rust/src/lib.rs") == [("engine.py", 5)]


TRACKER = (
    '#[no_mangle]\npub extern "C" fn t_new() -> *mut u8 { std::ptr::null_mut() }\n'
    '#[no_mangle]\npub extern "C" fn t_total() -> u64 { 0 }\n'
)


def test_a_handle_imported_from_another_module_binds_that_modules_crate(
    project: Project,
) -> None:
    _crate(project, "rust", "tracker", TRACKER)
    _crate(project, "other", "other", '#[no_mangle]\npub extern "C" fn t_total() -> i8 { 0 }\n')
    project.write(
        "pkg/_native.py",
        "import ctypes, sys\nlib = ctypes.CDLL(sys.argv[1])\n"
        "lib.t_new.restype = ctypes.c_void_p\n"
        "def total(): return lib.t_total()\n",
    )
    project.write(
        "pkg/api.py",
        "import ctypes\nfrom ._native import lib\n"
        "lib.t_total.restype = ctypes.c_int8\n"
        "def new(): return lib.t_new()\n",
    )
    project.write(
        "pkg/more.py",
        "import ctypes\nfrom pkg import _native\n"
        "_native.lib.t_total.argtypes = []\n"
        "_native.lib.t_new()\n",
    )
    # Linked through `_native` by every name bound anywhere on it; the restype
    # set in `api` counts for `_native`'s own use of `t_total`.
    assert _lines(project) == [("pkg/api.py", 3)]


def test_a_missing_restype_is_reported_once_where_the_library_is_used_first(
    project: Project,
) -> None:
    _crate(project, "rust", "tracker", TRACKER)
    for name in ("a", "b"):
        project.write(
            f"pkg/{name}.py",
            "import ctypes\nfrom ._native import lib\nlib.t_total.argtypes = []\nlib.t_new()\n",
        )
    project.write("pkg/_native.py", 'import ctypes\nlib = ctypes.CDLL("libtracker.so")\n')
    assert _lines(project) == [("pkg/a.py", 3), ("pkg/a.py", 4)]
    project.write(
        "pkg/_native.py", 'import ctypes\nlib = ctypes.CDLL("libtracker.so")\nlib.t_new\n'
    )
    # `t_new` where the library is loaded, `t_total` in the first module to use it.
    assert _lines(project) == [("pkg/_native.py", 3), ("pkg/a.py", 3)]
