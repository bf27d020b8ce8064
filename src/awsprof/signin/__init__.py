"""AWS Sign-In for console-credential profiles (``login_session``): the login cache, DPoP proofs,
refresh, and the ``login``/``logout`` flows."""
