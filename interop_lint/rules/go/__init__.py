"""GO: the Go side of the boundary (cgo)."""
