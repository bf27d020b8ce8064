"""The command line: options -> one core call -> render. The only layer that prints, prompts, exits
or opens a browser."""
