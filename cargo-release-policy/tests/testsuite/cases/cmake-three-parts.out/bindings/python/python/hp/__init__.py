"""hp: the Python bindings of hp-core."""

from hp._hp import *  # noqa: F403

__version__ = "2.4.0"
