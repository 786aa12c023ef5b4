"""Public XML views of the content: the blog feed and the sitemap."""
