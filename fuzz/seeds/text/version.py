"""Doc."""
__version__ = "1.4.0rc1"  # kept by release-policy
