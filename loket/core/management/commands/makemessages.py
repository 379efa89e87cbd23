"""`makemessages` with Loket's defaults, so `manage.py makemessages -l en` is all it takes.

- `_g(...)` is extracted too: a few modules import `gettext as _g` next to
  `gettext_lazy as _`, and xgettext would otherwise skip those strings, leaving them Dutch
  in English pages and API responses.
- No fuzzy matching: msgmerge's guesses for new strings are usually wrong and fuzzy entries
  are not compiled, so a new string stays empty (tests/core/test_translations.py names it)
  until someone translates it.
- No source locations (fewer merge conflicts between branches) and the virtualenv, tests,
  tools and generated files are never scanned.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import makemessages

IGNORED = [".venv", "node_modules", "tools", "tests", "bench", "scripts", "docs",
           "staticfiles", ".cache"]


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_g"]
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        options["no_location"] = True
        super().handle(*args, **options)
