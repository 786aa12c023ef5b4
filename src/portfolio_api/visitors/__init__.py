"""Visitor counting."""
