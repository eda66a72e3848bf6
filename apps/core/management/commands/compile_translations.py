"""``manage.py compile_translations``: build .mo files with polib, so no system gettext is needed.

Each language's ``django.po`` (our strings, from makemessages) is merged with every other ``*.po`` beside it
(``thirdparty.po``: Vietnamese for the allauth strings we show, which allauth does not ship; ``<app>.po``:
translations an app brought before the next makemessages run) into one ``django.mo``.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into django.mo"

    def handle(self, *args, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for lc_messages in sorted(Path(locale_dir).glob("*/LC_MESSAGES")):
                merged = polib.POFile()
                merged.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lc_messages.parent.name}
                seen = set()
                sources = sorted(lc_messages.glob("*.po"), key=lambda p: (p.name != "django.po", p.name))
                for po_path in sources:
                    po = polib.pofile(str(po_path))
                    if po_path.name == "django.po":
                        merged.metadata = po.metadata
                    for entry in po.translated_entries():
                        key = (entry.msgctxt, entry.msgid)
                        if key not in seen and not entry.obsolete:
                            seen.add(key)
                            merged.append(entry)
                merged.save_as_mofile(str(lc_messages / "django.mo"))
                self.stdout.write(f"{lc_messages.parent.name}: {len(seen)} messages")
