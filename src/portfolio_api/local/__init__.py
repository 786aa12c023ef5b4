"""The local AWS emulator bootstrap behind `portfolio-api dev` (never imported by the app)."""
