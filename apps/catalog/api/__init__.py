"""The read-only open-data API at /api/v1/ (Django REST framework, schema by drf-spectacular)."""
