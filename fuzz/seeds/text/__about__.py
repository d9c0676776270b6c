# Read by hatchling at build time; kept in lockstep by cargo release-policy.
__version__ = "1.4.0"
