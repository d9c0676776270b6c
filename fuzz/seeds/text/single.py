__version__: str = '1.4.0'
VERSION = (1, 4, 0)
