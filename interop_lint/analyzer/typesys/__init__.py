"""The one type-equivalence table of the boundary (rules.md, XL section).

Each language maps its types into the neutral model of `model` (an integer
of so many bits and a signedness, a pointer to a pointee with a constness,
a named record, a function...), and `model.compare` decides whether two
model types are the same at the ABI: equal, equal but for constness,
different, or unknown. Unknown never produces a finding.

- `typesys.model`: the model, `compare`, `Verdict`.
- `typesys.rust`: Rust type text (as `rust.syntax.normalize_type` spells it),
  parsed by `typesys.rust_parser`.
- `typesys.c`: `CType` values of the C facts, typedefs resolved through a scope.
- `typesys.ctypes`: Python ctypes types of the Python facts, compared by
  `compare_binding`, which is `compare` with ctypes' own rules on top.
- `typesys.cbindgen`: the Rust names behind a C type name as cbindgen writes
  them (a crate's prefix and renames, mangled generic instances).
- `typesys.layout`: what a Rust `#[repr]` makes of a type (a transparent
  struct's one non-zero-sized field, a field-less enum's width).
- `typesys.spelling`: what a type written through names resolves to, for messages.
- `typesys.kinds`: whether a declared return type can be an ownership kind
  (the memory an export hands out).
"""
