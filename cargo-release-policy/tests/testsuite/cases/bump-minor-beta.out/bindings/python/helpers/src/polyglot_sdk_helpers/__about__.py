# Read by hatchling at build time; kept in lockstep by cargo release-policy.
__version__ = "1.5.0b1"
