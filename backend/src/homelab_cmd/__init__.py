"""HomelabCmd hub."""

from importlib.metadata import version

# Set once, in the repository's VERSION file, and read from the installed package's metadata.
__version__ = version("homelab-cmd")
