"""Which profile a command uses and why; the credential providers and the chain; the caches."""
