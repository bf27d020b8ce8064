"""IAM Identity Center: login flows, the token cache and its single-flight refresh, populate."""
