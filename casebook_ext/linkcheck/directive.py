"""``casebook-linkcheck-schema``: the report's JSON Schema shown in the docs from the packaged file.

The docs then always show the schema the checker writes and the tests validate against, in
any checkout (the file lives in the package, not beside the pages).
"""

from __future__ import annotations

import json

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class LinkcheckSchemaDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        from casebook_ext.linkcheck.report import schema

        text = json.dumps(schema(), indent=2, ensure_ascii=False)
        block = nodes.literal_block(text, text, language="json")
        self.set_source_info(block)
        return [block]
