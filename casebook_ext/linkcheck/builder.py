"""``sphinx-build -b casebook-linkcheck``: check every external link of the casebook.

A builder rather than a separate command, because Sphinx then reads (or re-uses) the
environment as for any build: the BibTeX data, the cases and every page's doctree are at
hand, and an unchanged casebook is not read again. It writes no pages: the whole check runs
once, in :meth:`finish`, over the environment.

A run that cannot happen (a bad setting, an unknown git revision, an output folder that
cannot be written) is one typed warning and exit status 2, not a Sphinx error report: Sphinx
prints a traceback for every exception, and a bad setting is not a bug.
"""

from __future__ import annotations

import re
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.builders import Builder
from sphinx.util import logging

from casebook_ext.linkcheck.config import from_sphinx
from casebook_ext.linkcheck.model import PlaceKind
from casebook_ext.linkcheck.problems import WARNING_TYPE
from casebook_ext.linkcheck.settings import Settings, SettingsError, from_config
from casebook_ext.linkcheck.sphinx_access import command_line_settings, page_dependencies, set_exit_status

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

    from casebook_ext.linkcheck.cache import Note

logger = logging.getLogger(__name__)
#: The exit status of a run that could not happen (1 is kept for "a link failed").
STATUS_ERROR = 2


class LinkcheckBuilder(Builder):
    """Checks links and writes ``report.json`` and ``report.md``; exits non-zero when one fails the run."""

    name = "casebook-linkcheck"
    epilog = "The link check reports are in %(outdir)s (report.json, report.md)."
    settings: Settings | None = None
    status = 0

    def init(self) -> None:
        try:
            self.settings = from_config(from_sphinx(self.config), Path(self.confdir), Path(self.outdir))
        except SettingsError as error:
            for problem in error.problems:
                self._stop(str(problem), "linkcheck_config", self._setting_location(problem.setting))
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

        if self.settings is None:
            logger.info("casebook-linkcheck: no link was checked; fix the settings named above")
            return
        root, targets = collect(self.env)
        bibs = [Path(p).resolve() for p in bib_files(self.env)]
        try:
            run = pipeline.execute(targets, self.settings, root, bibs, note=self._note)
        except pipeline.RunError as error:
            self._stop(str(error), "linkcheck_config", self._setting_location("casebook_linkcheck_changed_since"))
            return
        except pipeline.RunInterrupted as stop:
            logger.info("casebook-linkcheck: %s", stop)
            raise
        out = Path(self.outdir)
        try:
            pipeline.write_reports(run, out)
            overrides = command_line_settings(self.config)
            if overrides is not None:  # the index is trusted only with the settings it was built with
                index.save(
                    out,
                    srcdir=Path(self.srcdir),
                    doctreedir=Path(self.doctreedir),
                    extra=[*bibs, Path(self.confdir) / "conf.py", *page_dependencies(self.env)],
                    overrides={str(k): str(v) for k, v in overrides.items()},
                    root=root,
                    bib_files=bibs,
                    settings=self.settings,
                    targets=targets,
                )
        except OSError as error:
            self._stop(
                f"the reports could not be written to {out}: {error.strerror or error}", "linkcheck_output", None
            )
            return
        if run.failed:
            self.status = self.status or 1
        for line in report.console_lines(run):
            logger.info(line)
        for place, subtype, message in pipeline.failures(run):
            location = (
                (place.docname, place.line)
                if place.docname and place.kind is not PlaceKind.BIBTEX
                else f"{root / place.file}:{place.line}"
            )
            logger.warning(message, type=WARNING_TYPE, subtype=subtype, location=location)

    def _stop(self, message: str, subtype: str, location: str | None) -> None:
        """A run that cannot happen: one warning, and exit status 2."""
        self.status = STATUS_ERROR
        logger.warning(message, type=WARNING_TYPE, subtype=subtype, location=location)

    def _setting_location(self, setting: str) -> str | None:
        """``conf.py:LINE`` where a setting is assigned, or ``None`` when it came from ``-D``."""
        if setting in command_line_settings(self.config):
            return None
        conf = Path(self.confdir) / "conf.py"
        try:
            lines = conf.read_text(encoding="utf-8").splitlines()
        except OSError:
            return None
        pattern = re.compile(rf"^\s*{re.escape(setting)}\s*[:=]")
        number = next((i for i, line in enumerate(lines, 1) if pattern.match(line)), 0)
        return f"{conf}:{number}" if number else None

    def _note(self, note: Note) -> None:
        """Cache trouble: a warning at the cache file itself (never a made-up document name)."""
        location = f"{note.path}:{note.line}" if note.line else None
        message = note.message if location else str(note)
        logger.warning(message, type=WARNING_TYPE, subtype="linkcheck_cache", location=location)

    def _set_status(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is None and self.status and app.builder is self:
            set_exit_status(app, self.status)
