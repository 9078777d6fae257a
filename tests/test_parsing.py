"""Grammars load, whichever way their package is laid out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interop_lint.analyzer import parsing
from interop_lint.analyzer.parsing import Grammar


@pytest.fixture
def fresh_grammars() -> Iterator[None]:
    parsing.language.cache_clear()
    parsing._parser.cache_clear()
    yield
    parsing.language.cache_clear()
    parsing._parser.cache_clear()


SAMPLES = {Grammar.GO: b"package p\n", Grammar.RUST: b"fn f() {}\n", Grammar.C: b"int f(void);\n"}


@pytest.mark.parametrize("grammar", list(Grammar))
def test_each_grammar_loads_from_its_binding(grammar: Grammar, fresh_grammars: None) -> None:
    assert parsing.language(grammar).name == grammar.value
    assert not parsing.parse(grammar, SAMPLES[grammar]).root_node.has_error


@pytest.mark.parametrize("grammar", list(Grammar))
def test_a_grammar_without_a_binding_file_loads_through_its_package(
    grammar: Grammar, fresh_grammars: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsing.importlib.machinery, "EXTENSION_SUFFIXES", [])
    assert parsing.language(grammar).name == grammar.value
    assert not parsing.parse(grammar, SAMPLES[grammar]).root_node.has_error
