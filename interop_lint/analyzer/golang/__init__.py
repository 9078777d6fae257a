"""Facts and syntax helpers for the Go side of the boundary (cgo)."""
