"""vanban: Vietnamese official documents into data.

The package is named ``extract`` (the design card's layout); the
distribution and the command are ``vanban``.
"""

__version__ = "0.1.0"
