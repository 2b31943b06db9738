"""The one error type vanban raises for bad input."""


class VanbanError(Exception):
    """A document could not be read or processed; ``str()`` is one line."""

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = " ".join(str(reason).split())
        super().__init__(f"{self.path}: {self.reason}")
