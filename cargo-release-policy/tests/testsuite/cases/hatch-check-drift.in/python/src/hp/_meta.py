"""Build metadata."""

# The wire protocol's version, not the package's.
version = "7"

RELEASE = "2.3.0"
