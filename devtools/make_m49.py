"""Write casebook_ext/data/m49.json: each ISO 3166-1 country's UN M49 region, from CLDR.

CLDR's territory containment (supplemental/territoryContainment.json in the npm package
``cldr-core``, Unicode licence) follows the UN M49 standard. Run it when CLDR publishes a new
release:  npm pack cldr-core && tar xzf cldr-core-*.tgz && python devtools/make_m49.py package
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: The M49 regions and intermediate regions the coverage view uses, from the world (001) down.
REGIONS = ("002", "019", "142", "150", "009")
INTERMEDIATE = ("419", "021")  # the Americas split into Latin America and the Caribbean, and Northern America


def main(package: Path) -> None:
    data = json.loads((package / "supplemental" / "territoryContainment.json").read_text(encoding="utf-8"))
    containment = data["supplemental"]["territoryContainment"]
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]

    def members(code: str) -> set[str]:
        out: set[str] = set()
        for child in containment.get(code, {}).get("_contains", []):
            out |= members(child) if child.isdigit() else {child}
        return out

    countries: dict[str, list[str]] = {}
    for region in REGIONS:
        for country in members(region):
            countries.setdefault(country, []).append(region)
    for region in INTERMEDIATE:
        for country in members(region):
            countries.setdefault(country, []).append(region)
    out = {
        "source": f"CLDR {version} territoryContainment (UN M49), Unicode licence",
        "countries": {code: sorted(regions) for code, regions in sorted(countries.items())},
    }
    target = Path(__file__).resolve().parent.parent / "casebook_ext" / "data" / "m49.json"
    target.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(countries)} countries written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
