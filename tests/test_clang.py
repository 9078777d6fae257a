"""C facts: declarations, types as declared, structs, typedefs, includes, preambles."""

from __future__ import annotations

import json
import pickle
import shutil

import pytest

from interop_lint.analyzer.clang.facts import CFileFacts, CKind, CType
from interop_lint.analyzer.clang.macro_bodies import (
    mask_define_comments,
    mask_enum_macros,
    mask_type_macros,
)
from interop_lint.analyzer.clang.preprocess import (
    is_cplusplus,
    mask_cplusplus,
    mask_enum_bases,
    mask_export_macros,
)
from interop_lint.analyzer.clang.syntax import spell
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.source import SourceFile
from tests.conftest import DATA, run_cli

HEADER = b"""/* Generated with cbindgen:0.26.0 */
#ifndef ENGINE_H
#define ENGINE_H
#include <stdint.h>
#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct Engine Engine;
typedef struct engine_s engine_t, *engine_ptr;
typedef void (*log_fn)(void *user, int32_t level);
typedef struct { int32_t x; float y; } Point;
struct Pair { uint8_t a, b; struct Pair *next; char name[16]; unsigned flags : 3; };
typedef enum Color { Red, Green } Color;

const char *engine_name(const Engine *e);
char **engine_list(void);
int32_t engine_add(int32_t a, int32_t b);
void engine_log(const char *fmt, ...);
int (*engine_handler(void))(int);
void engine_set_cb(Engine *e, void (*cb)(int), log_fn log);
unsigned long long engine_big(long unsigned int x, signed char y);
int engine_old();
static inline int helper(void) { struct Inner { int z; } i = {1}; return i.z; }
int engine_names(const char *const *names, int values[]);

#ifdef __cplusplus
}
#endif
#endif
"""


def _facts(data: bytes, path: str = "include/engine.h", kind: FileKind = FileKind.C_HEADER):
    facts = extract_facts(SourceFile(path, kind, data))
    assert facts.c is not None
    return facts


def _function(unit: CFileFacts, name: str):  # type: ignore[no-untyped-def]
    return next(f for f in unit.functions if f.name == name)


def _signature(unit: CFileFacts, name: str) -> str:
    function = _function(unit, name)
    assert function.type.of is not None
    params = [spell(p.type) for p in function.params]
    if function.type.variadic:
        params.append("...")
    return f"{spell(function.type.of)} ({', '.join(params)})"


def test_declarations_inside_guards_and_extern_c_blocks_are_found() -> None:
    facts = _facts(HEADER)
    unit = facts.c
    assert not facts.notifications, "a C++-compatible header parses cleanly"
    names = [f.name for f in unit.functions]
    assert names[:4] == ["engine_name", "engine_list", "engine_add", "engine_log"]
    assert unit.generated_by_cbindgen
    assert [(i.path, i.system) for i in unit.includes] == [("stdint.h", True), ("types.h", False)]


def test_pointer_ness_of_return_types_comes_from_the_declarator_chain() -> None:
    unit = _facts(HEADER).c
    assert _signature(unit, "engine_name") == "const char * (const Engine *)"
    assert _signature(unit, "engine_list") == "char ** ()"
    assert _signature(unit, "engine_add") == "int32_t (int32_t, int32_t)"
    assert _signature(unit, "engine_log") == "void (const char *, ...)"
    assert _signature(unit, "engine_handler") == "int (*)(int) ()"
    assert _signature(unit, "engine_big") == "unsigned long long (unsigned long, signed char)"
    # Arrays and functions as parameters decay to pointers; `*const` stays on its level.
    assert _signature(unit, "engine_names") == "int (const char *const *, int *)"
    assert _signature(unit, "engine_set_cb") == "void (Engine *, void (*)(int), log_fn)"


def test_definitions_static_functions_and_unspecified_parameters() -> None:
    unit = _facts(HEADER).c
    helper = _function(unit, "helper")
    assert helper.is_definition and helper.is_static
    assert not _function(unit, "engine_add").is_definition
    assert not _function(unit, "engine_old").type.prototype
    assert _function(unit, "engine_list").type.prototype  # `(void)`
    assert "Inner" not in [s.tag for s in unit.structs], "function bodies are skipped"


def test_structs_typedefs_and_enums() -> None:
    unit = _facts(HEADER).c
    point = next(s for s in unit.structs if "Point" in s.names)
    assert point.tag == "" and point.names == ("Point",)
    assert [(f.name, spell(f.type)) for f in point.fields] == [("x", "int32_t"), ("y", "float")]
    pair = next(s for s in unit.structs if s.tag == "Pair")
    assert [f.name for f in pair.fields] == ["a", "b", "next", "name", "flags"]
    assert spell(pair.fields[2].type) == "struct Pair *"
    assert pair.fields[3].type == CType(CKind.ARRAY, of=CType(CKind.BASE, name="char"), length=16)
    assert not pair.is_exact, "a bit-field has no Rust field to match"
    typedefs = {t.name: spell(t.type) for t in unit.typedefs}
    assert typedefs["Engine"] == "struct Engine"
    assert typedefs["engine_t"] == "struct engine_s"
    assert typedefs["engine_ptr"] == "struct engine_s *"
    assert typedefs["log_fn"] == "void (*)(void *, int32_t)"
    assert typedefs["Point"] == "struct Point"  # the anonymous struct goes by its typedef name
    assert set(unit.enums) == {"Color"}


def test_struct_location_is_the_first_line_of_its_definition() -> None:
    unit = _facts(HEADER).c
    point = next(s for s in unit.structs if "Point" in s.names)
    assert (point.location.line, point.location.end_line) == (14, 14)
    assert point.location.column == 1


def test_preamble_declarations_are_located_in_the_go_file() -> None:
    go = b"""package p

/*
#cgo CFLAGS: -I${SRCDIR}/../include -I ${SRCDIR}/gen -I/usr/include/x -DFOO
#cgo LDFLAGS: -L${SRCDIR}/../target/release -lengine ${SRCDIR}/lib/libstore.a
#include "engine.h"
static inline int twice(int v) { return v * 2; }
int32_t engine_add(int32_t a, int32_t b);
*/
import "C"
"""
    unit = _facts(go, "cmd/p/p.go", FileKind.GO).c
    assert unit.is_preamble
    add = _function(unit, "engine_add")
    assert (add.location.path, add.location.line, add.location.column) == ("cmd/p/p.go", 8, 9)
    assert _function(unit, "twice").is_definition
    assert unit.include_dirs == ("../include", "gen")
    assert unit.link_libraries == ("engine", "store")


def test_go_file_without_preamble_has_no_c_facts() -> None:
    facts = extract_facts(SourceFile("p.go", FileKind.GO, b'package p\n\nimport "C"\n'))
    assert facts.c is None


def test_c_facts_are_plain_data() -> None:
    unit = _facts(HEADER).c
    assert pickle.loads(pickle.dumps(unit)) == unit


def test_cplusplus_masking_keeps_positions_and_the_c_branch() -> None:
    source = b"""#ifdef __cplusplus
extern "C" {
#endif
int a(void);
#if !defined(__cplusplus)
int b(void);
#else
int b(bool);
#endif
#ifdef __cplusplus
}
#endif
"""
    masked = mask_cplusplus(source)
    assert len(masked) == len(source)
    kept = [line.strip() for line in masked.split(b"\n") if line.strip()]
    assert kept == [b"int a(void);", b"int b(void);"]
    assert mask_cplusplus(b"int x;\n") == b"int x;\n"


def test_deeply_nested_declarators_do_not_recurse_without_bound() -> None:
    depth = 3000
    source = b"int " + b"(" * depth + b"*p" + b")" * depth + b";\nint ok(void);\n"
    unit = _facts(source).c
    assert "ok" in [f.name for f in unit.functions]


def test_export_macros_before_the_return_type_are_skipped() -> None:
    source = b"""#define ENGINE_API __attribute__((visibility("default")))
ENGINE_API int32_t engine_add(int32_t a, int32_t b);
ENGINE_API const char *engine_name(void);
ENGINE_API unsigned long engine_hash(void);
int32_t ENGINE_CALL engine_sub(int32_t a);
"""
    unit = _facts(source).c
    assert _signature(unit, "engine_add") == "int32_t (int32_t, int32_t)"
    assert _signature(unit, "engine_name") == "const char * ()"
    assert _signature(unit, "engine_hash") == "unsigned long ()"
    assert _signature(unit, "engine_sub") == "int32_t (int32_t)"


def test_export_macros_defined_in_the_header_parse_without_errors() -> None:
    source = b"""#ifdef _WIN32
#define ENGINE_API __declspec(dllexport)
#else
#define ENGINE_API __attribute__((visibility("default")))
#endif
#define ENGINE_LEN 16
ENGINE_API int32_t engine_add(int32_t a, int32_t b);
ENGINE_API const char *engine_name(char buffer[ENGINE_LEN]);
"""
    facts = _facts(source)
    assert not facts.notifications
    assert _signature(facts.c, "engine_add") == "int32_t (int32_t, int32_t)"
    assert _signature(facts.c, "engine_name") == "const char * (char *)"
    assert b"ENGINE_LEN]" in mask_export_macros(source), "a macro with a value stays"


def test_export_macros_of_another_header_are_known_by_their_names() -> None:
    source = b"""#ifndef MYLIB_H_
#define MYLIB_H_
#include <mylib/port.h>
#if defined(__cplusplus) || defined(c_plusplus)
extern "C" {
#endif
typedef struct MyState MyState;
MYLIB_API MyState* MyCreate(void);
MYLIB_API BROTLI_BOOL MyIsFinished(MyState* state);
MYLIB_API BROTLI_BOOL MyHasMoreOutput(
    MyState* state);
ZEXTERN int ZEXPORT my_deflate(MyState *strm, int flush);
JNIEXPORT jint JNICALL Java_my_Lib_size(void *env);
#if defined(__cplusplus) || defined(c_plusplus)
}
#endif
#endif
"""
    facts = _facts(source)
    assert not facts.notifications
    assert _signature(facts.c, "MyCreate") == "MyState * ()"
    assert _signature(facts.c, "MyIsFinished") == "BROTLI_BOOL (MyState *)"
    assert _signature(facts.c, "MyHasMoreOutput") == "BROTLI_BOOL (MyState *)"
    assert _signature(facts.c, "my_deflate") == "int (MyState *, int)"
    assert _signature(facts.c, "Java_my_Lib_size") == "jint (void *)"
    # A name the file defines with a value is the file's: `#define LIB_API int` stays;
    # so does a function-like use (`GIT_EXTERN(int) f(void);` holds the type).
    assert b"LIB_API f" in mask_export_macros(b"#define LIB_API int\nLIB_API f(void);\n")
    assert mask_export_macros(b"GIT_EXTERN(int) f(void);\n") == b"GIT_EXTERN(int) f(void);\n"


def test_calling_conventions_are_blanked() -> None:
    """MSVC's `__cdecl`/`__stdcall`, written in a declarator or through a macro defined
    as one (Unity's `UNITY_INTERFACE_API`), change no type: a callback typedef that
    spells one is read like any other."""
    source = b"""#if defined(_WIN32)
#define PLUGIN_API __stdcall
#else
#define PLUGIN_API
#endif
typedef void (__cdecl *log_cb)(const char *msg);
typedef void (PLUGIN_API *event_cb)(int code);
void set_log(log_cb cb);
int __stdcall plugin_version(void);
"""
    facts = _facts(source)
    assert not facts.notifications
    assert _signature(facts.c, "set_log") == "void (log_cb)"
    assert _signature(facts.c, "plugin_version") == "int ()"
    masked = mask_export_macros(source)
    assert b"(        *log_cb)" in masked and b"(           *event_cb)" in masked


def test_export_macros_defined_through_other_macros_parse_without_errors() -> None:
    """zstd.h: the export macro is an attribute plus a visibility macro, itself an
    attribute, nothing, or a macro the user may define; the deprecation macro's
    body may be only a comment."""
    source = b"""#include <stddef.h>
#ifndef ZSTDLIB_VISIBLE
#  ifdef ZSTDLIB_VISIBILITY
#    define ZSTDLIB_VISIBLE ZSTDLIB_VISIBILITY
#  elif defined(__GNUC__)
#    define ZSTDLIB_VISIBLE __attribute__ ((visibility ("default")))
#  else
#    define ZSTDLIB_VISIBLE
#  endif
#endif
#if defined(ZSTD_DLL_EXPORT)
#  define ZSTDLIB_API __declspec(dllexport) ZSTDLIB_VISIBLE
#else
#  define ZSTDLIB_API ZSTDLIB_VISIBLE
#endif
#ifdef ZSTD_DISABLE_DEPRECATE_WARNINGS
#  define ZSTD_DEPRECATED(message) /* disable deprecation warnings */
#else
#  define ZSTD_DEPRECATED(message) __attribute__((deprecated(message)))
#endif
#define ZSTD_LEN ZSTD_MAX
ZSTDLIB_API size_t ZSTD_compressBound(size_t srcSize);
ZSTD_DEPRECATED("Replaced by ZSTD_getFrameContentSize")
ZSTDLIB_API unsigned long long ZSTD_getDecompressedSize(const void* src, size_t srcSize);
"""
    facts = _facts(source)
    assert not facts.notifications
    assert _signature(facts.c, "ZSTD_compressBound") == "size_t (size_t)"
    assert _signature(facts.c, "ZSTD_getDecompressedSize") == (
        "unsigned long long (const void *, size_t)"
    )
    # A macro made of another that is no attribute stays.
    assert b"ZSTD_LEN" in mask_export_macros(b"#define ZSTD_LEN ZSTD_MAX\nint a[ZSTD_LEN];\n")


def test_function_like_attribute_macros_are_blanked_with_their_arguments() -> None:
    source = b"""#include <stdint.h>
#define __CBINDGEN_ALIGNED(n) __attribute__((aligned(n)))
#define DEPRECATED(msg)
#define SQUARE(x) ((x) * (x))
typedef struct __CBINDGEN_ALIGNED(8) Error {
    const char *description;
    uint64_t saved_errno;
} Error;
typedef struct __CBINDGEN_ALIGNED((4 + 4)) { int32_t x; } Aligned;
DEPRECATED("use err_code") uint64_t err_errno(const Error *e);
int32_t err_square(int32_t v[SQUARE(2)]);
"""
    masked = mask_export_macros(source)
    assert len(masked) == len(source)
    assert masked.count(b"\n") == source.count(b"\n")
    assert b"typedef struct                       Error {" in masked
    assert b"SQUARE(2)" in masked, "a macro with a value stays"
    facts = _facts(source)
    assert not facts.notifications
    assert [s.names for s in facts.c.structs] == [("Error",), ("Aligned",)]
    assert _signature(facts.c, "err_errno") == "uint64_t (const Error *)"


def test_c23_enum_bases_parse_and_keep_positions() -> None:
    header = (
        b"#include <stdint.h>\n"
        b"typedef enum : uint8_t { KIND_A = 1 } Kind;\n"
        b"enum Level : unsigned int { LOW, HIGH };\n"
        b"int32_t pick(Kind k, int32_t a, int32_t b);\n"
    )
    assert len(mask_enum_bases(header)) == len(header)
    facts = _facts(header)
    assert list(facts.notifications) == []
    assert set(facts.c.enums) == {"Kind", "Level"}
    assert _signature(facts.c, "pick") == "int32_t (Kind, int32_t, int32_t)"
    assert (
        _function(facts.c, "pick").location.line,
        _function(facts.c, "pick").location.column,
    ) == (4, 9)


def test_cbindgen_guarded_enum_bases_parse_and_keep_lines() -> None:
    # cbindgen 0.27+ writes a tagged enum's tag with its C23 base behind a guard.
    header = (
        b"#include <stddef.h>\n"
        b"enum VoidResult_Tag\n"
        b"#if __STDC_VERSION__ >= 202311L\n"
        b"  : size_t\n"
        b"#endif // __STDC_VERSION__ >= 202311L\n"
        b" {\n"
        b"  VoidResult_Ok,\n"
        b"  VoidResult_Err,\n"
        b"};\n"
        b"int pick(int a);\n"
    )
    masked = mask_enum_bases(header)
    assert len(masked) == len(header) and masked.count(b"\n") == header.count(b"\n")
    facts = _facts(header)
    assert list(facts.notifications) == []
    assert set(facts.c.enums) == {"VoidResult_Tag"}
    assert _signature(facts.c, "pick") == "int (int)"
    assert _function(facts.c, "pick").location.line == 10


def test_enums_int_sized_only_when_every_value_is_known_to_fit_32_bits() -> None:
    header = (
        b"#include <stdint.h>\n"
        b"#define BASE 4\n"
        b"typedef enum { A, B } Plain;\n"
        b"enum Flags { F1 = 1 << 0, F2 = 0x2, F3 = (F1 | F2), F4 = ~0, F5 = 010 };\n"
        b"enum Top { T1 = 0xffffffff };\n"
        b"enum Huge { H1 = 0x100000000 };\n"
        b"enum Mixed { M1 = -1, M2 = 0x80000000 };\n"
        b"enum FromMacro { R1 = BASE };\n"
        b"enum Based : uint8_t { X1 };\n"
        b"typedef enum { P1 } __attribute__((packed)) Packed;\n"
        b"enum Declared;\n"
    )
    facts = _facts(header)
    assert list(facts.notifications) == []
    assert set(facts.c.enums) >= {"Plain", "Flags", "Based", "Packed"}
    assert set(facts.c.int_enums) == {"enum Plain", "enum Flags", "enum Top"}


@pytest.mark.parametrize(
    ("text", "cplusplus"),
    [
        (HEADER, False),
        (
            b"#ifdef __cplusplus\nnamespace api {\nclass Engine {};\n}\n#endif\nint f(void);\n",
            False,
        ),
        (b"/* a namespace { of its own } */\nint class_count(void);\n", False),
        (b"typedef struct classifier classifier;\nint template_count(void);\n", False),
        (b'#include <cstdint>\nnamespace ffi {\nextern "C" {\nvoid f();\n}\n}\n', True),
        (b"#include <memory>\nclass Decoder final {\n};\n", True),
        (b"template <class T>\nT* bogus(T* p) { return p; }\n", True),
        (b"struct Sink : public Base {\n};\n", True),
    ],
)
def test_cplusplus_headers_are_recognised(text: bytes, cplusplus: bool) -> None:
    assert is_cplusplus(text) is cplusplus


def test_a_cplusplus_wrapper_header_declares_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """encoding_c's C++ wrapper: C would read its method bodies as declarations of
    names the crate does not export (tests/data/cpp-wrapper-header/README.md)."""
    project = tmp_path / "encoding_c"
    shutil.copytree(DATA / "cpp-wrapper-header", project)
    wrapper = project / "include" / "encoding_rs_cpp.h"
    source = SourceFile("include/encoding_rs_cpp.h", FileKind.C_HEADER, wrapper.read_bytes())
    facts = extract_facts(source)
    assert facts.c is None and not facts.notifications
    result = run_cli(["check", "--format", "json", "--select", "XL", "--no-cache"], cwd=project)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []


def _positions_kept(original: bytes, prepared: bytes) -> None:
    assert len(prepared) == len(original)
    assert prepared.count(b"\n") == original.count(b"\n")


def test_comments_inside_multi_line_defines_parse_without_errors() -> None:
    # brotli's decode.h documents its X-macro error list with comments.
    source = b"""#include <stdint.h>
#define ERROR_CODES(CODE, SEPARATOR)  \\
  CODE(_, NO_ERROR, 0) SEPARATOR      \\
  /* Same as the result values */   \\
  CODE(_, SUCCESS, 1) SEPARATOR       \\
  /* a comment over
     two lines */                     \\
  CODE(_ERROR_, UNREACHABLE, -31)
int64_t dec_used(const void *d, int extra);
"""
    prepared = mask_define_comments(source)
    _positions_kept(source, prepared)
    assert b"/*" not in prepared and b"CODE(_ERROR_, UNREACHABLE, -31)" in prepared
    facts = _facts(source)
    assert list(facts.notifications) == []
    assert _signature(facts.c, "dec_used") == "int64_t (const void *, int)"
    assert _function(facts.c, "dec_used").location.line == 9
    one_line = b"#define LIMIT 4 /* bytes */\n"
    assert mask_define_comments(one_line) == one_line


def test_x_macro_enums_parse_without_errors() -> None:
    source = b"""#include <stdint.h>
#define ERROR_CODES(CODE, SEP) CODE(_, NO_ERROR, 0) SEP CODE(_, SUCCESS, 1)
typedef enum {
#define DEC_COMMA_ ,
#define DEC_ITEM_(PREFIX, NAME, CODE) \\
    DEC ## PREFIX ## NAME = CODE
  ERROR_CODES(DEC_ITEM_, DEC_COMMA_)
} DecErrorCode;
#undef DEC_ITEM_
enum Level { LOW = 1, LEVELS(ITEM) HIGH = SHIFT(2) };
int32_t dec_error(DecErrorCode code, enum Level level);
"""
    prepared = mask_enum_macros(source)
    _positions_kept(source, prepared)
    assert b"HIGH = SHIFT(2)" in prepared, "an enumerator's value is no item"
    assert b"LEVELS" not in prepared and b"#undef DEC_ITEM_" in prepared
    facts = _facts(source)
    assert list(facts.notifications) == []
    assert set(facts.c.enums) == {"DecErrorCode", "Level"}
    assert _signature(facts.c, "dec_error") == "int32_t (DecErrorCode, enum Level)"


def test_qualifier_macros_in_parameter_lists_parse_without_errors() -> None:
    # msteinert/pam: `PAM_CONST` is `const`, or nothing on Solaris.
    source = b"""#include <stdint.h>
#ifdef __sun
#define PAM_CONST
#else
#define PAM_CONST const
#endif
#define MY_RESTRICT_POINTER __restrict__
struct pam_message;
int pam_conv(int n, PAM_CONST struct pam_message **msg, void *MY_RESTRICT_POINTER data);
int pam_count(void);
"""
    prepared = mask_type_macros(source)
    _positions_kept(source, prepared)
    assert b"int n, const     struct" in prepared
    facts = _facts(source)
    assert list(facts.notifications) == []
    assert _signature(facts.c, "pam_conv") == "int (int, const struct pam_message **, void *)"
    assert _signature(facts.c, "pam_count") == "int ()"


def test_type_macros_are_their_types() -> None:
    # hsivonen/chardetng: the handle type is a macro a C++ user may define as a class.
    source = b"""#include <stdint.h>
typedef struct Detector_ EncodingDetector;
#ifndef CHARDETNG_ENCODING_DETECTOR
#define CHARDETNG_ENCODING_DETECTOR EncodingDetector
#endif
#define DET_LEN int32_t
#define DET_VERY_LONG_TYPE_NAME unsigned long long
#define compress z_compress
#define DET_BUFFER_POINTER struct Buf *
CHARDETNG_ENCODING_DETECTOR* det_new(void);
int det_feed(CHARDETNG_ENCODING_DETECTOR const* d, DET_LEN len, DET_BUFFER_POINTER b);
int compress(DET_VERY_LONG_TYPE_NAME n);
"""
    prepared = mask_type_macros(source)
    _positions_kept(source, prepared)
    facts = _facts(source)
    assert list(facts.notifications) == []
    assert _signature(facts.c, "det_new") == "EncodingDetector * ()"
    assert _signature(facts.c, "det_feed") == (
        "int (const EncodingDetector *, int32_t, struct Buf *)"
    )
    # A name no type declaration gives is left alone: a function renamed under
    # `#ifdef Z_PREFIX` is not renamed where the prefix is off.
    assert _signature(facts.c, "compress") == "int (unsigned long long)"


def test_type_macros_are_typedefs_for_the_headers_including_them() -> None:
    # encoding_rs: `#define ENCODING_RS_ENCODER Encoder` in encoding_rs_statics.h,
    # used by encoding_rs.h, which includes it.
    source = b"""#include <stdint.h>
#define X_ENCODER Encoder
#define X_LEN unsigned long long
#define X_BUFFER struct Buf *
#define X_CONST const
#define X_INLINE static inline
#define X_API __attribute__((visibility("default")))
#define X_VERSION 3
#define X_NAME "x"
#ifdef WIDE
#define X_CHAR wchar_t
#else
#define X_CHAR char
#endif
"""
    typedefs = {t.name: spell(t.type) for t in _facts(source).c.typedefs}
    assert typedefs == {
        "X_ENCODER": "Encoder",
        "X_LEN": "unsigned long long",
        "X_BUFFER": "struct Buf *",
    }
    encoder = next(t for t in _facts(source).c.typedefs if t.name == "X_ENCODER")
    assert (encoder.location.line, encoder.location.column) == (2, 9)


def test_errors_inside_function_bodies_give_no_notification() -> None:
    # An `#ifdef` splitting a statement loses no declaration of the contract.
    source = b"""#include <string.h>
static inline void wipe(char *s, int style) {
    if (s) {
#ifdef HAS_STYLE
        if (style != 3)
#endif
            memset(s, 0, strlen(s));
    }
}
int after(void);
"""
    facts = _facts(source)
    assert list(facts.notifications) == []
    assert _signature(facts.c, "after") == "int ()"
    broken = _facts(b"int before(void);\nint broken(int x;\nint after(void);\n")
    assert [n.line for n in broken.notifications] == [2], "outside a body it is reported"


def test_default_argument_macros_are_blanked() -> None:
    """blst.h: `DEFNULL` is a C++ default argument, and nothing in C."""
    source = b"""#include <stddef.h>
#ifdef SWIG
# define DEFNULL =NULL
#elif defined __cplusplus
# define DEFNULL =0
#else
# define DEFNULL
#endif
typedef unsigned char byte;
void blst_expand(byte *out, const byte *info DEFNULL, size_t info_len DEFNULL);
int blst_after(int v);
"""
    facts = _facts(source)
    assert not facts.notifications
    assert _signature(facts.c, "blst_expand") == "void (byte *, const byte *, size_t)"
    assert _signature(facts.c, "blst_after") == "int (int)"
