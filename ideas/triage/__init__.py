"""The staff triage workspace inside the Wagtail admin."""
