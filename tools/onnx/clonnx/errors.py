"""The one error type the tool reports as a single line (never a traceback)."""


class ExportError(Exception):
    """Bad input or a failed step; str(e) is the one-line message for the user."""
