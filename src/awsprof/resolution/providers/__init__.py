"""Credential providers, one per file, in the AWS CLI's order (see ``resolution.chain``)."""
