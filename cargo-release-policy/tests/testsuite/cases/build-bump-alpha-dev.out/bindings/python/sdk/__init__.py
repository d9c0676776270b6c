"""Python bindings of the SDK."""

__version__ = "2.5.0a1+dev"
__version_info__ = (2, 5, 0)
