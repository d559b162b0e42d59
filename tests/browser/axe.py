"""axe-core in the browser tests: injected into every page of a browser context, run on
demand, its serious and critical violations returned in words a failing test can print.

axe-core is installed from the npm registry by scripts/ensure-axe.sh (`make test` runs it)
into var/npm; a missing install is installed here, so the browser tests also run alone.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"

# The WCAG 2.x A and AA rules (2.2 included) and axe's best practices.
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_source_path() -> Path:
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-axe.sh")], check=True)
    return AXE_JS


def axe_install(context) -> None:
    # An init script runs through the DevTools protocol, before the page's own scripts; the
    # site's Content-Security-Policy forbids inline <script>, so add_script_tag would not run.
    context.add_init_script(path=str(axe_source_path()))


def axe_violations(page, *, impacts=("critical", "serious")) -> list[str]:
    """The page's violations of the given impacts, one line per rule and element."""
    result = page.evaluate("options => window.axe.run(document, options)", RUN_OPTIONS)
    lines = []
    for violation in result["violations"]:
        if violation["impact"] not in impacts:
            continue
        for node in violation["nodes"][:5]:
            lines.append(
                f"{page.url}: {violation['impact']} {violation['id']} ({violation['help']}) "
                f"at {' '.join(node['target'])}: {node.get('failureSummary', '')[:200]}"
            )
    return lines
