"""An emulated AWS Sign-In (``aws login``): DPoP-verified token endpoint, authorize pages."""
