"""The draft/publish machinery shared by blog posts, projects and certifications."""
