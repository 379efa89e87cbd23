"""Print the workflow's state diagram (Mermaid) or rewrite it into docs/workflow.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from loket.workflow import diagram


class Command(BaseCommand):
    help = "Toon het statusdiagram (Mermaid) of schrijf het in docs/workflow.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--markdown", action="store_true",
                            help="The whole generated block (diagram and tables).")
        parser.add_argument("--write", metavar="PATH",
                            help="Replace the generated block in this Markdown file.")

    def handle(self, *args: Any, markdown: bool = False, write: str | None = None,
               **options: Any) -> None:
        if write:
            path = Path(write)
            path.write_text(diagram.replace_generated(path.read_text()))
            self.stdout.write(f"{path} bijgewerkt.")
        elif markdown:
            self.stdout.write(diagram.markdown())
        else:
            self.stdout.write(diagram.mermaid())
