"""Signals the certificates app sends, for apps above it to react to (certificates never import them).

``certificates_issued`` is sent inside the transaction that creates a decision's certificates, with
``product_ids`` (every product that got a new certificate; any certificate it superseded is of the same products).
The certificates are created in bulk, so no ``post_save`` is sent for them: the public catalogue
(``apps.catalog.signals``) refreshes all those products' entries at once, in the same transaction.
"""

from django.dispatch import Signal

certificates_issued = Signal()
