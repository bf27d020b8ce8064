"""Shell integration: shell-init scripts, the prompt segment and ``use``."""
