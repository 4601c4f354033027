"""Event extraction: triggers, casualties, actors and places."""
