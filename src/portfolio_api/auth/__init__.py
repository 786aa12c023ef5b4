"""Owner authentication: Cognito login, in-app JWT verification, `CurrentOwner`/`OptionalOwner`."""
