"""The local sandbox: moto's server for STS, IAM and S3 and an IAM Identity Center emulator on
loopback. It depends on nothing of awsprof but ``errors``: it is an independent fake of AWS."""
