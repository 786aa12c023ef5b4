"""The owner's resume: JSON Resume data, draft and publication, PDF download."""
