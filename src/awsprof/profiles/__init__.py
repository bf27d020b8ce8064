"""The profile model: profiles, sso-sessions and services sections merged from both files,
each value remembering the file and line it came from."""
