"""Long-lived access keys: listing their age and use, rotation, keychain storage, CSV import."""
