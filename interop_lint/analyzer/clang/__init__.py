"""The C side of the boundary: headers, C sources and cgo preambles."""
