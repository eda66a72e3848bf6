"""Signals the products app sends, for apps above it to react to (products never import them).

``product_photos_changed`` is sent by the photo services once the change is committed, with ``product_id``:
the public catalogue (``apps.catalog.signals``) refreshes the product's entry and its cached pages.
"""

from django.dispatch import Signal

product_photos_changed = Signal()
