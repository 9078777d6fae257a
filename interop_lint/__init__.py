"""interop-lint: find the bugs on the boundary between Go, Rust and C."""

__version__ = "0.1.0"
HOMEPAGE = "https://github.com/interop-lint/interop-lint"
