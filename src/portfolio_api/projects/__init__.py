"""Projects of the portfolio."""
