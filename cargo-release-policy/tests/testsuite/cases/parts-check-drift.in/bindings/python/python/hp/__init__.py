"""hp: the Python bindings of hp-core."""

from hp._hp import *  # noqa: F403

__version__ = "2.3.1"
__version_info__ = (2, 3, 01)
