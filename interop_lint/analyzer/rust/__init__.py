"""Facts and syntax helpers for the Rust side of the boundary."""
