"""stackpacks: a Django + Next.js project at the pack it needs, grown one measured step a time."""

__version__ = "0.1.0"
