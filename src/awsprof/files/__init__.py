"""The two AWS INI files: locate them, parse them as botocore does, edit them losslessly, write them
atomically under a cross-process lock."""
