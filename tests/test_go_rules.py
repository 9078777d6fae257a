"""GO rules end to end: configuration for GO101, messages, and robustness."""

from __future__ import annotations

import json

from tests.conftest import Project, run_cli

GO_MOD = "module example.com/app\n\ngo 1.22\n"

BUFFERS = """package buffers

/*
#include <stdlib.h>
void engine_take_buffer(void *p); // a library's: ownership-taking says what it does
static void engine_use(void *p) { (void)p; }
*/
import "C"

import (
	"unsafe"

	"example.com/app/pool"
)

func freeCBuffer(p unsafe.Pointer) { pool.Release(p) }

func Local(n int) {
	p := C.malloc(C.size_t(n))
	C.engine_use(p)
	freeCBuffer(p)
}

func Qualified(n int) {
	p := C.malloc(C.size_t(n))
	C.engine_use(p)
	pool.Release(p)
}

func Taken(n int) {
	C.engine_take_buffer(C.malloc(C.size_t(n)))
}

func Leaked(s string) {
	cs := C.CString(s)
	C.engine_use(unsafe.Pointer(cs))
}
"""

POOL = """package pool

import "unsafe"

// Release gives a buffer back (it frees it, through a path the linter cannot see).
func Release(p unsafe.Pointer) { _ = p }
"""


def _findings(project: Project, *args: str) -> list[dict]:
    result = run_cli(["check", "--format", "json", *args], cwd=project.root)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def _write_buffers(project: Project) -> None:
    project.write("go.mod", GO_MOD)
    project.write("buffers/buffers.go", BUFFERS)
    project.write("pool/pool.go", POOL)


def test_go101_without_configuration_reports_every_unknown_release(project: Project) -> None:
    _write_buffers(project)
    lines = sorted(f["line"] for f in _findings(project) if f["rule"] == "GO101")
    assert lines == [19, 25, 31, 35]


def test_go101_honours_free_functions_and_ownership_taking(project: Project) -> None:
    _write_buffers(project)
    project.write(
        ".interop-lint.toml",
        'free-functions = ["pool.Release"]\nownership-taking = ["C.engine_take_buffer"]\n',
    )
    found = [f for f in _findings(project) if f["rule"] == "GO101"]
    # Local's freeCBuffer calls pool.Release: a package wrapper of a configured free.
    assert [f["line"] for f in found] == [35]
    assert found[0]["message"] == (
        "`cs` from `C.CString` is never freed in `Leaked`: "
        "add `defer C.free(unsafe.Pointer(cs))` after the allocation, "
        "or list `C.engine_use` in `ownership-taking` if it takes ownership"
    )


def test_packages_without_cgo_are_out_of_scope(project: Project) -> None:
    project.write("go.mod", GO_MOD)
    project.write(
        "pure/pure.go",
        'package pure\n\nimport "unsafe"\n\n'
        "func View(p unsafe.Pointer, n int) []byte {\n\treturn (*[1 << 30]byte)(p)[:n:n]\n}\n",
    )
    assert _findings(project) == []


def test_broken_and_deeply_nested_go_is_analysed_without_failing(project: Project) -> None:
    project.write("go.mod", GO_MOD)
    nested = "(" * 400 + "C.CString(s)" + ")" * 400
    project.write(
        "deep/deep.go",
        'package deep\n\n// #include <stdlib.h>\nimport "C"\n\n'
        f"func F(s string) {{\n\tC.puts({nested})\n}}\n\n"
        "func G(s string) {\n\tcs := C.CString(s\n\tif {\n}\n"
        + "func H() {\n"
        + "\tif true {\n" * 300
        + "\t}\n" * 300
        + "}\n",
    )
    result = run_cli(["check", "--format", "json"], cwd=project.root)
    document = json.loads(result.stdout)
    failures = [
        n for n in document.get("notifications", []) if "rule failed" in n.get("message", "")
    ]
    assert failures == []
    assert any(f["rule"] == "GO101" and f["line"] == 7 for f in document["findings"])


def test_messages_say_why_a_defer_or_a_length_comparison_is_not_enough(
    project: Project,
) -> None:
    project.write("go.mod", GO_MOD)
    project.write(
        "io/io.go",
        "package io\n\n// #include <stdlib.h>\n// static void put(char *p, int n) {}\n"
        'import "C"\n\nimport "unsafe"\n\n'
        "func Put(s string) {\n\tvar cs *C.char\n\tdefer C.free(unsafe.Pointer(cs))\n"
        "\tcs = C.CString(s)\n\tC.put(cs, 0)\n}\n\n"
        "func Read(b []byte, n int) {\n\tif len(b) < n {\n\t\tn = len(b)\n\t}\n"
        "\tC.put((*C.char)(unsafe.Pointer(&b[0])), C.int(n))\n}\n",
    )
    messages = {f["rule"]: (f["line"], f["message"]) for f in _findings(project)}
    assert messages["GO101"] == (
        12,
        "`cs` from `C.CString` is never freed in `Put`: the `defer` at line 11 evaluates "
        "`cs` before the allocation is assigned to it (it frees the old value); defer the "
        "free after the allocation",
    )
    assert messages["GO104"] == (
        20,
        "`&b[0]` is passed to `C.put` without a `len(b)` check in `Read` (`len(b) < n` at "
        "line 17 only bounds a value): it panics for an empty slice; use "
        "`unsafe.SliceData(b)`",
    )


def test_go101_names_the_return_that_leaves_before_the_free(project: Project) -> None:
    # The release is configured: a free function of the user's that comes after an
    # early return counts as the free, and a C call before it does not.
    project.write("go.mod", GO_MOD)
    project.write(
        "db/db.go",
        "package db\n\n// #include <stdlib.h>\n// static int run(char *s) { return 0; }\n"
        'import "C"\n\nimport (\n\t"errors"\n\t"unsafe"\n)\n\n'
        "func release(p unsafe.Pointer) { C.free(p) }\n\n"
        "func Run(sql string) error {\n\tcs := C.CString(sql)\n"
        "\tif C.run(cs) != 0 {\n\t\treturn errors.New(sql)\n\t}\n"
        "\trelease(unsafe.Pointer(cs))\n\treturn nil\n}\n",
    )
    (finding,) = _findings(project, "--select", "GO101")
    assert (finding["line"], finding["column"]) == (15, 8)
    assert finding["message"] == (
        "`cs` from `C.CString` is not freed when `Run` returns at line 17, though other "
        "paths free or keep it: free it before that return, or `defer` the free right "
        "after the allocation if nothing keeps it"
    )


def test_a_capitalised_c_name_converts_and_the_c_call_beyond_it_is_named(
    project: Project,
) -> None:
    # miekg/pkcs11: C.CK_BYTE_PTR(&data[0]) converts (the typedef is made through a
    # macro in a header no preamble shows); the pointer goes on to C.encrypt.
    project.write("go.mod", GO_MOD)
    project.write(
        "p11/pkcs11t.h",
        "typedef unsigned char CK_BYTE;\n#define CK_PTR *\n"
        "typedef CK_BYTE CK_PTR CK_BYTE_PTR;\n"
        "int encrypt(CK_BYTE_PTR p, unsigned long n);\n",
    )
    project.write(
        "p11/p11.go",
        'package p11\n\n// #include "pkcs11t.h"\nimport "C"\n\n'
        "func Encrypt(data []byte) int {\n"
        "\treturn int(C.encrypt(C.CK_BYTE_PTR(&data[0]), C.ulong(len(data))))\n}\n",
    )
    findings = [f for f in _findings(project) if f["rule"].startswith("GO")]
    assert [(f["rule"], f["line"]) for f in findings] == [("GO104", 7)]
    assert findings[0]["message"].startswith("`&data[0]` is passed to `C.encrypt` without")


def _go104_messages(
    project: Project, go_mod: str, package: str, preamble: str, code: str
) -> list[str]:
    """The GO104 messages for one cgo file `package/package.go` of a module."""
    project.write("go.mod", go_mod)
    project.write(
        f"{package}/{package}.go",
        f'package {package}\n\n{preamble}\nimport "C"\n\nimport "unsafe"\n\n{code}',
    )
    return [f["message"] for f in _findings(project) if f["rule"] == "GO104"]


def test_go104_names_a_parenthesised_slice_without_its_parentheses(project: Project) -> None:
    # algorand/falcon's ConvertToCT: `&(*sig)[0]` of a `*[]byte` parameter.
    messages = _go104_messages(
        project,
        GO_MOD,
        "sig",
        "// static void convert(unsigned char *p, int n) {}",
        "func Convert(sig *[]byte) {\n"
        "\tC.convert((*C.uchar)(unsafe.Pointer(&(*sig)[0])), C.int(len(*sig)+0))\n}\n",
    )
    assert messages == [
        "`&(*sig)[0]` is passed to `C.convert` without a `len(*sig)` check in `Convert`: it "
        "panics for an empty slice; use `unsafe.SliceData(*sig)`"
    ]


def test_go104_suggests_a_length_check_where_the_module_predates_slice_data(
    project: Project,
) -> None:
    # `unsafe.SliceData` is Go 1.20: a `go 1.16` module (tun2socks, fsevents) cannot use it.
    messages = _go104_messages(
        project,
        "module example.com/app\n\ngo 1.16\n",
        "fill",
        "// static void fill(unsigned char *p, int n) {}",
        "func Fill(b []byte) {\n\tC.fill((*C.uchar)(unsafe.Pointer(&b[0])), C.int(len(b)))\n}\n",
    )
    assert messages == [
        "`&b[0]` is passed to `C.fill` without a `len(b)` check in `Fill`: it "
        "panics for an empty slice; check `len(b) == 0` first"
    ]


def test_go101_names_no_libc_copy_as_a_possible_owner(project: Project) -> None:
    # apache/arrow-adbc's exportStringOption: C.strncpy copies; it never keeps the string.
    project.write("go.mod", GO_MOD)
    project.write(
        "driver/driver.go",
        'package driver\n\n// #include <stdlib.h>\n// #include <string.h>\nimport "C"\n\n'
        'import "unsafe"\n\n'
        "func Export(val string, out *C.char, n C.size_t) {\n"
        "\tC.strncpy(out, C.CString(val), n)\n}\n\n"
        "func Realloc(val string, n C.size_t) {\n"
        "\tC.realloc(unsafe.Pointer(C.CString(val)), n)\n}\n",
    )
    messages = {f["line"]: f["message"] for f in _findings(project) if f["rule"] == "GO101"}
    assert messages[10] == (
        "`C.CString(...)` is passed straight to `C.strncpy` in `Export` and never freed: "
        "assign it to a variable and `defer C.free(...)` it"
    )
    assert messages[14].endswith("or list `C.realloc` in `ownership-taking` if it takes ownership")


BIO = """package bio

/*
#include <openssl/bio.h>
*/
import "C"

import "unsafe"

type writeBio struct{ buf []byte }

// A C call of a header the tool does not read: `rv` may point to C memory.
func (b *writeBio) MakeCBIO() *C.BIO {
	rv := C.BIO_new(C.BIO_s_mem())
	rv.ptr = unsafe.Pointer(b)
	return rv
}

// A C struct made here and returned by value is a copy for the caller.
func viewOf(b []byte) C.struct_view {
	v := C.struct_view{n: C.size_t(len(b))}
	if len(b) > 0 {
		v.data = (*C.char)(unsafe.Pointer(&b[0]))
	}
	return v
}
"""


def test_go107_tells_a_returned_copy_from_a_returned_c_object(project: Project) -> None:
    """spacemonkeygo/openssl keeps a Go pointer in a BIO that `C.BIO_new` returns;
    mautrix/signal's `BytesToBuffer` fills and returns a struct by value."""
    project.write("go.mod", GO_MOD)
    project.write("bio/bio.go", BIO)
    found = [(f["rule"], f["line"]) for f in _findings(project) if f["rule"] == "GO107"]
    assert found == [("GO107", 15)]
