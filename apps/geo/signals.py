"""Signals the geo app sends, for apps above it to react to (geo never imports them).

``units_imported`` is sent by ``manage.py import_units`` after the editions it was asked for are loaded and the
2025 successors linked. A receiver may return a line for the command to print: the public catalogue
(``apps.catalog.signals``) regroups its entries by the successors and reports how many it rebuilt.
"""

from django.dispatch import Signal

units_imported = Signal()
