"""Thin, lazily imported botocore clients and endpoint resolution."""
