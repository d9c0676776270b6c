"""hp: the Python bindings of hp-core."""

from hp._hp import *  # noqa: F403

__version__ = "2.4.0rc1"
__version_info__ = (2, 4, 0)
