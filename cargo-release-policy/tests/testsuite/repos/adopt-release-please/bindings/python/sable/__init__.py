__version__ = "0.3.0"  # x-release-please-version
