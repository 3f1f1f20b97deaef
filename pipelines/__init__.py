"""Pipeline assembly, the pydantic configuration, the CLI, inputs, manifest and publishing."""
