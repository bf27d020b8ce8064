"""Which profile a command uses and why; the credential providers and the chain; the caches.

(Named ``resolution`` rather than the architecture's ``resolve`` so that ``awsprof.resolve()``
can be the library function: importing a subpackage binds its name on the parent package.)
"""
