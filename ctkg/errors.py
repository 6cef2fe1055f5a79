"""The one exception family shown to users as a single line (no traceback)."""


class CtkgError(Exception):
    """Base for user-facing errors; ``str(err)`` is the whole message."""
