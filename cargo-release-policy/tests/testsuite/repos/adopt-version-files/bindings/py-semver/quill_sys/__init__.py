# The tests compare this with the crate version, as Cargo spells it.
__version__ = "2.4.0-beta.1"
