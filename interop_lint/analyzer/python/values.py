"""What the expressions of binding code evaluate to: ctypes types, file names, numbers.

Everything that cannot be known without running the code (a parameter, a
computed name, a call of something else) is unknown: `UNKNOWN` for a type,
None otherwise. Names are followed through their assignments (`Handle =
c_void_p`, `_LIB = os.path.join(HERE, "libengine.so")`), depth-bounded.
"""

from __future__ import annotations

import re

import libcst as cst

from interop_lint.analyzer.python.facts import UNKNOWN, CtypesField, CtypesKind, CtypesType
from interop_lint.analyzer.python.scopes import (
    Definition,
    ModuleScopes,
    Scope,
    name_key,
    self_class,
)

SIMPLE_TYPES = frozenset(
    {
        "c_bool", "c_char", "c_wchar", "c_byte", "c_ubyte", "c_short", "c_ushort",
        "c_int", "c_uint", "c_long", "c_ulong", "c_longlong", "c_ulonglong",
        "c_int8", "c_int16", "c_int32", "c_int64", "c_uint8", "c_uint16", "c_uint32",
        "c_uint64", "c_size_t", "c_ssize_t", "c_time_t", "c_float", "c_double",
        "c_longdouble", "c_char_p", "c_wchar_p", "c_void_p", "py_object",
    }
)  # fmt: skip
# Loading calls, by qualified name, with the loader's name as facts spell it.
LOADERS = {
    "ctypes.CDLL": "CDLL",
    "ctypes.PyDLL": "PyDLL",
    "ctypes.WinDLL": "WinDLL",
    "ctypes.OleDLL": "OleDLL",
    "ctypes.cdll.LoadLibrary": "cdll.LoadLibrary",
    "ctypes.pydll.LoadLibrary": "pydll.LoadLibrary",
    "ctypes.windll.LoadLibrary": "windll.LoadLibrary",
    "ctypes.oledll.LoadLibrary": "oledll.LoadLibrary",
    "numpy.ctypeslib.load_library": "numpy.ctypeslib.load_library",
}
FUNCTION_TYPES = frozenset({"ctypes.CFUNCTYPE", "ctypes.PYFUNCTYPE", "ctypes.WINFUNCTYPE"})
STRUCTURE_BASES = {
    "ctypes.Structure": False,
    "ctypes.BigEndianStructure": False,
    "ctypes.LittleEndianStructure": False,
    "ctypes.Union": True,
    "ctypes.BigEndianUnion": True,
    "ctypes.LittleEndianUnion": True,
}
# What `from ctypes import *` brings in that binding code names.
_CTYPES_EXPORTS = frozenset(
    {
        *SIMPLE_TYPES,
        *(name.split(".")[1] for name in (*LOADERS, *FUNCTION_TYPES, *STRUCTURE_BASES)),
        "POINTER", "cdll", "pydll", "windll", "oledll", "util",
    }
)  # fmt: skip
_STAR = ("ctypes", _CTYPES_EXPORTS)
_PATH_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join"})
_PATH_WRAPPERS = frozenset(
    {
        "str", "os.fspath", "os.path.abspath", "os.path.realpath", "os.path.normpath",
        "os.path.expanduser", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath",
        "Path", "ctypes.util.find_library", "util.find_library", "find_library",
    }
)  # fmt: skip
_PATH_METHODS = frozenset({"resolve", "absolute", "expanduser", "format", "as_posix"})
_MAX_REPEAT = 256  # `[c_int] * n`: no C function takes more parameters
MAX_DEPTH = 16
_VERSION_OR_SUFFIX = re.compile(r"\..*$")


def library_name(path: str) -> str | None:
    """A library's name from its file name: "libengine" from "./out/libengine.so.1",
    "engine" from "engine.dll" or find_library("engine"). `{}` marks an unknown
    part: the name is the first literal part of the file name that is more than
    a `lib` prefix or an extension (`prefix + "engine" + extension`)."""
    segment = re.split(r"[/\\]", path)[-1]
    for part in segment.split("{}"):
        stem = _VERSION_OR_SUFFIX.sub("", part)
        if stem and stem != "lib":
            return stem
    return None


def literal_string(expr: cst.BaseExpression) -> str | None:
    """The value of a plain string literal, else None."""
    if not isinstance(expr, cst.SimpleString):
        return None
    try:
        value = expr.evaluated_value
    except Exception:  # a malformed literal libcst accepted
        return None
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class Evaluator:
    def __init__(self, scopes: ModuleScopes) -> None:
        self.scopes = scopes
        self._classes: dict[str, CtypesType] = {}

    def qualified(self, expr: cst.BaseExpression) -> str | None:
        return self.scopes.qualified(expr, _STAR)

    def callee(self, call: cst.Call) -> str | None:
        """The qualified name of what a call calls, builtins by their own name."""
        qualified = self.qualified(call.func)
        if qualified is None and isinstance(call.func, cst.Name):
            return call.func.value
        return qualified

    # -- ctypes types ------------------------------------------------------------

    def ctype(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> CtypesType:
        if depth > MAX_DEPTH:
            return UNKNOWN
        if isinstance(expr, cst.Name) and expr.value == "None":
            return CtypesType(CtypesKind.VOID)
        if isinstance(expr, cst.Call):
            return self._constructed(expr, scope, depth)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
            element = self.ctype(expr.left, scope, depth + 1)
            length = self.integer(expr.right, scope, depth + 1)
            return CtypesType(CtypesKind.ARRAY, of=element, length=length)
        qualified = self.qualified(expr)
        if qualified is not None and qualified.startswith("ctypes."):
            name = qualified.removeprefix("ctypes.")
            return CtypesType(CtypesKind.SIMPLE, name) if name in SIMPLE_TYPES else UNKNOWN
        key = self.scopes.key(expr, scope)
        if key is not None and key in self.scopes.classes:
            return self.class_type(key)
        if key is not None:
            found = {self.ctype(v, s, depth + 1) for s, v in self.scopes.assigned_to(key)[:4]}
            if len(found) == 1:
                return found.pop()
            if found:
                return UNKNOWN
        if qualified is not None:  # imported from a module of the project
            return CtypesType(CtypesKind.NAMED, qualified.rsplit(".", 1)[-1])
        return UNKNOWN

    def _constructed(self, call: cst.Call, scope: Scope, depth: int) -> CtypesType:
        callee = self.qualified(call.func)
        args = [a.value for a in call.args if a.keyword is None and not a.star]
        if callee == "ctypes.POINTER" and len(args) == 1:
            return CtypesType(CtypesKind.POINTER, of=self.ctype(args[0], scope, depth + 1))
        if callee in FUNCTION_TYPES and args:
            returns, *params = (self.ctype(a, scope, depth + 1) for a in args)
            return CtypesType(CtypesKind.FUNCTION, of=returns, params=tuple(params))
        return UNKNOWN

    def types(
        self, expr: cst.BaseExpression, scope: Scope, depth: int = 0
    ) -> tuple[CtypesType, ...] | None:
        """An `argtypes` value: a literal list or tuple of types (through names), or
        lists joined and repeated (`[c_char_p] * 7 + [c_int]`)."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, (cst.List, cst.Tuple)):
            if any(isinstance(e, cst.StarredElement) for e in expr.elements):
                return None
            return tuple(self.ctype(e.value, scope, depth + 1) for e in expr.elements)
        if isinstance(expr, cst.BinaryOperation):
            return self._joined_types(expr, scope, depth)
        key = self.scopes.key(expr, scope)
        values = self.scopes.assigned_to(key) if key is not None else []
        if len(values) == 1:
            value_scope, value = values[0]
            return self.types(value, value_scope, depth + 1)
        return None

    def _joined_types(
        self, expr: cst.BinaryOperation, scope: Scope, depth: int
    ) -> tuple[CtypesType, ...] | None:
        """`a + b` of two lists of types, `a * n` or `n * a` with a literal count."""
        if isinstance(expr.operator, cst.Add):
            left = self.types(expr.left, scope, depth + 1)
            right = self.types(expr.right, scope, depth + 1)
            return left + right if left is not None and right is not None else None
        if not isinstance(expr.operator, cst.Multiply):
            return None
        repeated, count = expr.left, expr.right
        if isinstance(repeated, cst.Integer):
            repeated, count = count, repeated
        times = count.evaluated_value if isinstance(count, cst.Integer) else None
        if not isinstance(times, int) or not 0 <= times <= _MAX_REPEAT:
            return None
        found = self.types(repeated, scope, depth + 1)
        return found * times if found is not None else None

    def class_type(self, key: str, depth: int = 0) -> CtypesType:
        """What a class of the file is as a ctypes type: a structure, a simple type
        it subclasses (`class Handle(c_void_p)`), or unknown."""
        known = self._classes.get(key)
        if known is not None:
            return known
        self._classes[key] = UNKNOWN  # a cycle of bases stays unknown
        definition = self.scopes.classes[key]
        name = key.rsplit(".", 1)[-1]
        found = UNKNOWN
        for base in self.bases(definition):
            qualified = self.qualified(base)
            if qualified in STRUCTURE_BASES:
                found = CtypesType(CtypesKind.STRUCTURE, name)
            elif qualified is not None and qualified.removeprefix("ctypes.") in SIMPLE_TYPES:
                simple = qualified.removeprefix("ctypes.")
                found = CtypesType(CtypesKind.SIMPLE, simple, subclass=name)
            else:
                base_key = self.base_class(definition, base)
                if base_key is not None and depth < MAX_DEPTH:
                    inherited = self.class_type(base_key, depth + 1)
                    if inherited.kind is CtypesKind.STRUCTURE:
                        found = CtypesType(CtypesKind.STRUCTURE, name)
                    elif inherited.kind is CtypesKind.SIMPLE:
                        found = CtypesType(CtypesKind.SIMPLE, inherited.name, subclass=name)
            if found is not UNKNOWN:
                break
        self._classes[key] = found
        return found

    def bases(self, definition: Definition) -> list[cst.BaseExpression]:
        node = definition.node
        return [b.value for b in node.bases] if isinstance(node, cst.ClassDef) else []

    def base_class(self, definition: Definition, base: cst.BaseExpression) -> str | None:
        """The key of a base class defined in the file."""
        outer = definition.scope.parent or definition.scope
        key = self.scopes.key(base, outer)
        return key if key in self.scopes.classes else None

    def is_union(self, definition: Definition) -> bool:
        return any(STRUCTURE_BASES.get(self.qualified(b) or "") for b in self.bases(definition))

    def fields(
        self, expr: cst.BaseExpression, scope: Scope
    ) -> tuple[tuple[CtypesField, ...], bool] | None:
        """A `_fields_` list, and whether it has bit-fields; None when not a literal."""
        if not isinstance(expr, (cst.List, cst.Tuple)):
            return None
        fields = []
        for element in expr.elements:
            entry = element.value
            if not isinstance(entry, (cst.Tuple, cst.List)) or len(entry.elements) not in (2, 3):
                return None
            name = literal_string(entry.elements[0].value)
            if name is None:
                return None
            bits = None
            if len(entry.elements) == 3:
                bits = self.integer(entry.elements[2].value, scope)
                if bits is None:
                    return None
            fields.append(CtypesField(name, self.ctype(entry.elements[1].value, scope), bits))
        return tuple(fields), any(f.bits is not None for f in fields)

    def integer(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> int | None:
        if isinstance(expr, cst.Integer):
            try:
                return int(expr.value.replace("_", ""), 0)
            except ValueError:
                return None
        key = self.scopes.key(expr, scope) if depth < MAX_DEPTH else None
        values = self.scopes.assigned_to(key) if key is not None else []
        if len(values) == 1:
            return self.integer(values[0][1], values[0][0], depth + 1)
        return None

    # -- file names ----------------------------------------------------------------

    def path(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """The string a path expression builds, `{}` for each part not known:
        `os.path.join(HERE, "libengine.so")` -> "libengine.so"."""
        if depth > MAX_DEPTH:
            return None
        literal = literal_string(expr)
        if literal is not None:
            return literal
        if isinstance(expr, cst.ConcatenatedString):
            left, right = (self.path(part, scope, depth + 1) for part in (expr.left, expr.right))
            return f"{left or '{}'}{right or '{}'}"
        if isinstance(expr, cst.FormattedString):
            return "".join(
                part.value if isinstance(part, cst.FormattedStringText) else "{}"
                for part in expr.parts
            )
        if isinstance(expr, cst.Call):
            return self._path_call(expr, scope, depth)
        if isinstance(expr, cst.BinaryOperation):
            return self._path_operation(expr, scope, depth)
        if isinstance(expr, cst.IfExp):
            body = self.path(expr.body, scope, depth + 1)
            if body is not None and library_name(body):
                return body
            return self.path(expr.orelse, scope, depth + 1)
        if isinstance(expr, cst.BooleanOperation):
            return self.path(expr.left, scope, depth + 1) or self.path(expr.right, scope, depth + 1)
        key = self.scopes.key(expr, scope)
        for value_scope, value in self.scopes.assigned_to(key) if key is not None else []:
            found = self.path(value, value_scope, depth + 1)
            if found is not None:
                return found
        return None

    def _path_call(self, call: cst.Call, scope: Scope, depth: int) -> str | None:
        args = [a.value for a in call.args if a.keyword is None and not a.star]
        callee = self.callee(call)
        if callee in _PATH_JOINS or callee in _PATH_WRAPPERS:
            return self.path(args[-1], scope, depth + 1) if args else None
        function = self.defined_function(call.func, scope)
        if function is not None:  # a helper of the module that builds the path
            for value_scope, value in self.scopes.returns.get(function.scope.name, []):
                found = self.path(value, value_scope, depth + 1)
                if found is not None:
                    return found
            return None
        if isinstance(call.func, cst.Attribute):
            method = call.func.attr.value
            if method in _PATH_METHODS:
                return self.path(call.func.value, scope, depth + 1)
            if method in ("joinpath", "with_name") and args:
                return self.path(args[-1], scope, depth + 1)
        return None

    def _path_operation(self, expr: cst.BinaryOperation, scope: Scope, depth: int) -> str | None:
        right = self.path(expr.right, scope, depth + 1)
        if isinstance(expr.operator, cst.Divide):
            return right
        left = self.path(expr.left, scope, depth + 1)
        if isinstance(expr.operator, cst.Add):
            return f"{left or '{}'}{right or '{}'}"
        if isinstance(expr.operator, cst.Modulo) and left is not None:
            return re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]", "{}", left)
        return None

    def defined_function(self, expr: cst.BaseExpression, scope: Scope) -> Definition | None:
        """The function of the file a call's callee names: `_load` in `_load()`, or a
        method of the class in `self._load()` / `cls._load()`."""
        if isinstance(expr, cst.Name):
            return self.scopes.functions.get(name_key(expr.value, scope))
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            owner = self_class(expr.value.value, scope)
            if owner is not None:
                return self.scopes.functions.get(f"{owner}.{expr.attr.value}")
        return None
