"""The owner's task list."""
