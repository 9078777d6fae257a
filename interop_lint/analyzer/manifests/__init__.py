"""Facts of Cargo.toml, go.mod and rust-toolchain files."""
