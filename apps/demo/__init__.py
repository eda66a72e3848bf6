"""The demo data behind ``make run`` (``manage.py seed_demo``): one module per app it fills, above every app.

The product's apps never import it; it writes through their services wherever they offer the write.
"""
