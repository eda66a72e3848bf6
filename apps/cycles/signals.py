"""Signals the cycles app sends, for apps above it to answer (cycles never imports them).

``application_left_rounds`` is sent by ``application_transition`` inside its transaction when an application is
returned or withdrawn, with ``application``, ``by`` and ``reason``: the evaluation app removes it from every open
round it was entered in (audited as ``evaluation.entry_removed``). The answers to the signals of the apps below
cycles are in :mod:`apps.cycles.receivers`.
"""

from django.dispatch import Signal

application_left_rounds = Signal()
