"""Best-practice checks over the files and the caches, and the fixes that cannot lose data."""
