"""The single-table layer: keys, table definition, codec, cursors and the thin client."""
