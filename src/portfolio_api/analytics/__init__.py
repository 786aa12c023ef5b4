"""Content view analytics."""
