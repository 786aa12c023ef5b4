"""Blog posts: Markdown articles with slugs, categories, tags and feeds."""
