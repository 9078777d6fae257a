"""Images a function makes itself: their planes are not taken for possibly empty (GO104).

An image made with `img := image.NewRGBA(rect)` has the size of a rectangle
the function computed, usually from dimensions it checked where it read
them (`if w <= 0 || h <= 0 { return }` before scaling them); `&img.Pix[0]`
there is how every image codec hands C its buffer. An image the function is
given (a parameter, a decoder's result) may be empty.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.golang.model import GoFile
from interop_lint.analyzer.golang.standard_types import STANDARD_STRUCTS
from interop_lint.analyzer.golang.syntax import unparen

_CONSTRUCTORS = frozenset(f"New{name.removeprefix('image.')}" for name in STANDARD_STRUCTS)


def made_in_function(file: GoFile, plane: Node) -> bool:
    """Whether `plane` is `img.Pix` (any field) of an image every definition of the
    local `img` makes with `image.NewRGBA(..)` and the like."""
    if plane.type != "selector_expression":
        return False
    operand = unparen(plane.child_by_field_name("operand"))
    binding = file.binding(operand) if operand is not None else None
    if binding is None or binding.is_parameter:
        return False
    definitions = [unparen(value) for _, value in binding.definitions()]
    return bool(definitions) and all(
        value is not None
        and value.type == "call_expression"
        and file.calls(value, "image", _CONSTRUCTORS)
        for value in definitions
    )
