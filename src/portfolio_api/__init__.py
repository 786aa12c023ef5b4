"""Portfolio API: a serverless backend for a personal portfolio site."""
