"""RS: the Rust side of the FFI boundary."""
