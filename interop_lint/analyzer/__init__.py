"""Discovery, parsing, the project index, the engine and configuration."""
