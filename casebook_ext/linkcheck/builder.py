"""``sphinx-build -b casebook-linkcheck``: check every external link of the casebook.

A builder rather than a separate command, because Sphinx then reads (or re-uses) the
environment as for any build: the BibTeX data, the cases and every page's doctree are at
hand, and an unchanged casebook is not read again. It writes no pages: the whole check runs
once, in :meth:`finish`, over the environment.
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.builders import Builder
from sphinx.errors import ConfigError, SphinxError
from sphinx.util import logging

from casebook_ext.linkcheck.model import PlaceKind
from casebook_ext.linkcheck.settings import Settings, from_config
from casebook_ext.problems import WARNING_TYPE

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


class LinkcheckError(SphinxError):
    category = "Link check error"


class LinkcheckBuilder(Builder):
    """Checks links and writes ``report.json`` and ``report.md``; exits non-zero when one fails the run."""

    name = "casebook-linkcheck"
    epilog = "The link check reports are in %(outdir)s (report.json, report.md)."
    settings: Settings
    failed = False

    def init(self) -> None:
        try:
            self.settings = from_config(self.config, Path(self.confdir), Path(self.outdir))
        except ValueError as error:
            raise ConfigError(f"invalid link check configuration: {error}") from None
        self.events.connect("build-finished", self._set_status, priority=900)

    def get_outdated_docs(self) -> str:
        return "every external link"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: Set[str]) -> None:
        return

    def write_documents(self, docnames: Set[str]) -> None:
        """Nothing per page: the links are read from the environment in :meth:`finish`."""

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        return

    def finish(self) -> None:
        from casebook_ext.bibliography import bib_files
        from casebook_ext.linkcheck import index, pipeline, report
        from casebook_ext.linkcheck.collect import collect

        root, targets = collect(self.env)
        bibs = [Path(p).resolve() for p in bib_files(self.env)]
        try:
            run = pipeline.execute(targets, self.settings, root, bibs, note=self._note)
        except pipeline.RunError as error:
            raise LinkcheckError(str(error)) from None
        self.failed = run.failed
        out = Path(self.outdir)
        pipeline.write_reports(run, out)
        overrides = getattr(self.config, "_overrides", None)
        if isinstance(overrides, dict):  # the index is trusted only with the settings it was built with
            index.save(
                out,
                srcdir=Path(self.srcdir),
                skip=[out, Path(self.doctreedir)],
                extra=[*bibs, Path(self.confdir) / "conf.py", *self._dependencies()],
                overrides={str(k): str(v) for k, v in overrides.items()},
                root=root,
                bib_files=bibs,
                settings=self.settings,
                targets=targets,
            )
        for line in report.console_lines(run):
            logger.info(line)
        for place, subtype, message in pipeline.failures(run):
            location: Any = (
                (place.docname, place.line)
                if place.docname and place.kind is not PlaceKind.BIBTEX
                else f"{root / place.file}:{place.line}"
            )
            logger.warning(message, type=WARNING_TYPE, subtype=subtype, location=location)

    def _dependencies(self) -> list[Path]:
        """Files outside the pages that pages depend on (includes, literalincludes)."""
        srcdir = Path(self.srcdir)
        return sorted({(srcdir / p).resolve() for files in self.env.dependencies.values() for p in files})

    def _note(self, message: str) -> None:
        logger.warning(message, type=WARNING_TYPE, subtype="linkcheck_cache", location=message.split(":", 1)[0])

    def _set_status(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is None and self.failed and app.builder is self:
            app.statuscode = 1
