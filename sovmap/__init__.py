"""sovmap: what breaks if supplier X cuts access?"""

__version__ = "0.1.0"
