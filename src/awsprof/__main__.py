"""``python -m awsprof``."""

from awsprof.cli.main import main

if __name__ == "__main__":
    main()
