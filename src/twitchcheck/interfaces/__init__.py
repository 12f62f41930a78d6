"""The interfaces (CLI, REST, web): the only layer that wires the others together."""
