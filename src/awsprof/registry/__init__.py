"""Shared profile registries: a team's config fragment (a git repository, a file or an HTTPS URL)
synced into one marked block of the config file, never touching anything outside it."""
