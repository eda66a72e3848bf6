"""Signals the evaluation app sends, for apps above it to answer (evaluation never imports them).

``decision_recorded`` is sent by ``decision_record`` with ``decision`` at the end of its transaction, once the
recognised applications have moved: the certificates app creates one certificate per recognised item
(``apps.certificates.receivers``), in the same transaction, so a failure rolls the decision back too. The answers
to the signals of the apps below evaluation are in :mod:`apps.evaluation.receivers`.
"""

from django.dispatch import Signal

decision_recorded = Signal()
