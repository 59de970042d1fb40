"""Errors that refuse a whole push or pull request (one mutation's errors are in its result)."""


class ProtocolError(ValueError):
    """A request the server cannot take; `errors` maps each bad part to its rules.

    The HTTP layer answers with `status` and the JSON error shape's "fields" set to `errors`.
    """

    def __init__(self, errors: dict[str, list[str]], status: int = 422) -> None:
        super().__init__(errors)
        self.errors = errors
        self.status = status
