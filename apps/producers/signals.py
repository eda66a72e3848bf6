"""Signals the producers app sends, for apps above it to answer (producers never import them).

``vault_kinds_relied_on`` is sent by ``document_remove`` with ``producer``, inside the transaction that changes the
vault: each receiver returns the document kinds its records rely on (the cycles app: those of the producer's
submitted dossiers, with their applications locked until the transaction ends).
"""

from django.dispatch import Signal

vault_kinds_relied_on = Signal()
