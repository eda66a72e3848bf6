"""Signals the producers app sends, for apps above it to answer (producers never import them).

``vault_kinds_relied_on`` is sent by ``document_remove`` with ``producer``, inside the transaction that changes the
vault: each receiver returns the document kinds its records rely on (the cycles app: those of the producer's
submitted dossiers, with their applications locked until the transaction ends).

``products_in_progress`` is sent by the re-homing checks (``apps.producers.selectors.busy_products``) with
``products``, a queryset of products: each receiver returns a query of the ids (one ``values`` column) of those its
records pin where they are (the cycles app: an application still moving; the evaluation app: an entry in an open
council round). The answers are combined into one SQL query.
"""

from django.dispatch import Signal

vault_kinds_relied_on = Signal()
products_in_progress = Signal()
