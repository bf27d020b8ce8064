"""The offline profile reader: what the files, the environment and awsprof's caches say about
where a command would run, without the network.

Every path that needs "which profile, which files, which account, when does the login end" reads
it here: the resolution, the guard engine, the prompt and doctor. It sits below ``resolution`` and
stays lean (no botocore, no dataclasses, no typing at import): the prompt and the guard run it on
every shell prompt and every `aws` command, and an import-time test holds its cost.
"""
