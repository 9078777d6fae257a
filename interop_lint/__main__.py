"""`python -m interop_lint` runs the same command line as `interop-lint`."""

from interop_lint.cli import entry

if __name__ == "__main__":
    entry()
