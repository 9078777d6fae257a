"""DEP: dependencies and toolchain of the interop build."""
