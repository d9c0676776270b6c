"""The version of the quill package."""

__version__ = "2.4.0b1"
