"""Account protection: the AWS CLI argv classifier and the pure decisions built on it."""
