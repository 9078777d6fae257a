"""Which C functions of a cgo preamble take ownership of a parameter (GO101's facts)."""

from __future__ import annotations

from tests.go_helpers import facts_of


def _owned(preamble: str) -> tuple[tuple[str, int], ...]:
    source = f'package p\n\n/*\n{preamble}\n*/\nimport "C"\n'
    return facts_of(source).c_ownership


LIBRARY = (
    "#include <stdlib.h>\n"
    "typedef struct ctx ctx;\n"
    "typedef void (*destructor)(void *);\n"
    "#define TRANSIENT ((destructor)-1)\n"
    "void result_text(ctx *c, const char *s, int n, destructor d);\n"
    "void set_name(ctx *c, const char *s);\n"
)


def test_a_parameter_passed_on_with_free_as_its_destructor_is_taken() -> None:
    assert _owned(
        LIBRARY + "void a(ctx *c, const char *s) { result_text(c, s, -1, &free); }\n"
        "void b(ctx *c, const char *s) { result_text(c, s, -1, free); }\n"
        "void d(ctx *c, void *p) { result_text(c, (const char *)p, -1, (destructor)free); }\n"
    ) == (("a", 0), ("a", 1), ("b", 0), ("b", 1), ("d", 0), ("d", 1))


def test_freeing_it_or_handing_it_to_a_function_that_does_is_taking_it() -> None:
    assert _owned(
        LIBRARY + "static void release(void *p) { free(p); }\n"
        "void drop(const char *name, const char *value) {\n"
        "\t(void)name;\n\tfree((void *)value);\n}\n"
        "void keep(ctx *c, const char *s) { result_text(c, s, 0, release); }\n"
        "void forward(const char *a, const char *b) { drop(b, a); }\n"
    ) == (("release", 0), ("drop", 1), ("keep", 0), ("keep", 1), ("forward", 0))


def test_a_copying_destructor_or_a_declaration_takes_nothing() -> None:
    assert (
        _owned(
            LIBRARY + "void copy(ctx *c, const char *s) { result_text(c, s, -1, TRANSIENT); }\n"
            "void name(ctx *c, const char *s) { set_name(c, s); }\n"
            "void declared(const char *s);\n"
        )
        == ()
    )
    # A preamble that never spells `free` is not read.
    assert _owned("void f(const char *s) { (void)s; }\n") == ()
