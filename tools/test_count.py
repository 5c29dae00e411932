"""Print a pytest JUnit report's count as one plain line: `tests: 698 passed, 0 failed, 1 skipped`.

./check ends with it, so whoever reads the run's last line (a person, CI) sees how many tests ran.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def count(path: str) -> str:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)

    def total(key: str) -> int:
        return sum(int(suite.get(key, 0)) for suite in suites)

    failed, skipped = total("failures") + total("errors"), total("skipped")
    return f"tests: {total('tests') - failed - skipped} passed, {failed} failed, {skipped} skipped"


if __name__ == "__main__":
    print(count(sys.argv[1]))
