"""Python files that load a Rust library with ctypes: handles, bindings, ctypes types.

Parsed with libcst, imported only for files that mention `ctypes` (it takes a
third of a second to import): `extract` checks the bytes first and imports
`syntax` and `bindings`, the modules that use libcst, only then.
"""
