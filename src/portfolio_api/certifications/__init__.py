"""Certifications and courses of the portfolio."""
