"""Keep each page's navigation bounded, and compute it once per group of pages rather than once per page.

Themes such as furo render the whole toctree into every page's sidebar: with thousands of cases
every page links to every other, and output and build time grow with the square of the number of
cases. Collapsing the tree to the current page's branch keeps a sidebar to its ancestors and
siblings (group cases in sub-toctrees).

Pages that share a parent and a folder and have no children of their own (the cases of one group)
then share one sidebar but for the current-page marker. The sidebar is rendered once per such
group, with the marker taken out, and each page gets that copy with its own marker put in. With
furo, whose ``html-page-context`` handler re-parses the sidebar for every page, the unmarked copy is
what furo parses (once: it caches by content), and the marker is put into furo's result
(``furo_navigation_tree``). Each group's first page is checked against an uncached rendering; a group
whose markup does not match the expected shape is never cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx.util.osutil import relative_uri

from casebook_ext.domain import get_domain

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

#: Run before themes' own ``html-page-context`` handlers (default priority 500) read the toctree.
PRIORITY = 400
#: Run after them, to put the current-page marker into the theme's navigation.
AFTER_THEME = 600

_CURRENT = re.compile(r'<li class="(toctree-l\d+) current"><a class="current reference internal" href="#">')
_FURO_CURRENT_PAGE = " current-page"


def _unmarked(level: str, href: str) -> str:
    return f'<li class="{level}"><a class="reference internal" href="{href}">'


def _marked(level: str) -> str:
    return f'<li class="{level} current"><a class="current reference internal" href="#">'


@dataclass
class Group:
    """The shared sidebar of one group of sibling pages (or ``None`` once a check failed)."""

    neutral: str | None
    level: str = ""
    furo: str | None = None  # furo's rendering of ``neutral``, checked once


@dataclass
class SidebarCache:
    """Sidebars by (folder, parent, the toctree call's arguments), for one HTML build."""

    groups: dict[tuple[object, ...], Group] = field(default_factory=dict)
    parents: dict[str, str] | None = None


#: This process's sidebars (parallel writers each have their own), emptied when a build starts.
_cache = SidebarCache()


def _parents(app: Sphinx, cache: SidebarCache) -> dict[str, str]:
    """Each page's parent (the page whose toctree includes it), for pages that have no children."""
    if cache.parents is None:
        children = get_domain(app.env).store["children"]
        parents: dict[str, str] = {}
        for parent, docs in sorted(children.items()):
            for doc in docs:
                parents.setdefault(doc, parent)
        cache.parents = {doc: parent for doc, parent in parents.items() if not children.get(doc)}
    return cache.parents


def _href(app: Sphinx, pagename: str) -> str:
    """How a page's link reads from a sibling page in the same folder."""
    folder = pagename.rpartition("/")[0]
    sibling = f"{folder}/casebook-sibling" if folder else "casebook-sibling"
    return relative_uri(app.builder.get_target_uri(sibling), app.builder.get_target_uri(pagename))


def _neutralise(html: str, href: str) -> tuple[str, str] | None:
    """The sidebar without the current page's marker, and the marked entry's level; ``None`` if unexpected."""
    found = _CURRENT.findall(html)
    if len(found) != 1:
        return None
    level = found[0]
    neutral = _CURRENT.sub(_unmarked(level, href), html)
    if neutral.count(_unmarked(level, href)) != 1:
        return None
    return neutral, level


def _mark(html: str, level: str, href: str, marked: str) -> str | None:
    entry = _unmarked(level, href)
    if html.count(entry) != 1:
        return None
    return html.replace(entry, marked)


def _furo_mark(furo_html: str, level: str, href: str) -> str | None:
    """furo's tree for the unmarked sidebar, with the current page marked as furo would have marked it."""
    if furo_html.count(_FURO_CURRENT_PAGE) != 1:
        return None
    marked = _mark(furo_html, level, href, _marked(level).replace(" current", " current current-page", 1))
    return marked.replace(_FURO_CURRENT_PAGE, "", 1) if marked is not None else None


def collapse_toctree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """``html-page-context``: make every ``toctree()`` call collapse other branches, sharing one per group."""
    if not app.config.casebook_collapse_navigation:
        return
    toctree: Callable[..., str] | None = context.get("toctree")
    if toctree is None:
        return
    cache = _cache
    parent = _parents(app, cache).get(pagename) if app.config.casebook_share_navigation else None
    is_furo = getattr(getattr(app.builder, "theme", None), "name", "") == "furo"

    def collapsed(**kwargs: Any) -> str:
        kwargs["collapse"] = True
        if parent is None or not kwargs.get("titles_only"):
            return toctree(**kwargs)
        key = (pagename.rpartition("/")[0], parent, tuple(sorted(kwargs.items())))
        href = _href(app, pagename)
        group = cache.groups.get(key)
        if group is None:
            real = toctree(**kwargs)
            found = _neutralise(real, href)
            if found is not None and _mark(found[0], found[1], href, _marked(found[1])) != real:
                found = None  # marking the shared copy must give back exactly this page's own sidebar
            cache.groups[key] = group = Group(*found) if found else Group(None)
            if group.neutral is None:
                return real
        if group.neutral is None:
            return toctree(**kwargs)
        if is_furo and kwargs.get("maxdepth") == -1:
            context["casebook_navigation_mark"] = (key, href)
            return group.neutral  # furo parses this once and caches it; the marker goes into its result
        return _mark(group.neutral, group.level, href, _marked(group.level)) or toctree(**kwargs)

    context["toctree"] = collapsed


def mark_furo_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """``html-page-context``, after furo: put the current-page marker into furo's shared navigation tree."""
    mark = context.pop("casebook_navigation_mark", None)
    if mark is None or "furo_navigation_tree" not in context:
        return
    from furo.navigation import get_navigation_tree  # type: ignore[import-untyped]  # only reached under furo

    key, href = mark
    group = _cache.groups[key]
    assert group.neutral is not None
    sidebar = _mark(group.neutral, group.level, href, _marked(group.level)) or ""  # what Sphinx gives this page
    marked = _furo_mark(context["furo_navigation_tree"], group.level, href)
    if group.furo is None:  # the group's first page: the result must be furo's own rendering
        group.furo = "checked" if marked == get_navigation_tree(sidebar) else "mismatch"
    if marked is None or group.furo == "mismatch":
        marked = get_navigation_tree(sidebar)
    context["furo_navigation_tree"] = marked


def reset(app: Sphinx) -> None:
    """``builder-inited``: a new build starts with no shared sidebars."""
    _cache.groups.clear()
    _cache.parents = None
