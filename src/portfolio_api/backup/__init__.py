"""Backup and restore of the whole table as a JSON Lines file (`portfolio-api export` and
`portfolio-api import`); the format is described in `jsonl` and in docs/operations.md."""
