#!/usr/bin/env python3
"""Sums the counters of every TRX file in a folder and prints one line:
   "N passed, N failed, N skipped". Exit code 1 if any test failed.
Why TRX and not console output: the console format changes between SDKs,
the TRX schema does not."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
FAILED_KINDS = ("failed", "error", "timeout", "aborted")


def main(folder: str) -> int:
    passed = failed = skipped = 0
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True)):
        counters = ET.parse(path).getroot().find(f"{NS}ResultSummary/{NS}Counters")
        if counters is None:
            continue
        c = {k: int(v) for k, v in counters.attrib.items() if v.isdigit()}
        passed += c.get("passed", 0)
        failed += sum(c.get(k, 0) for k in FAILED_KINDS)
        # xunit's skipped tests show up only as total - executed (notExecuted stays 0).
        skipped += max(c.get("total", 0) - c.get("executed", 0), c.get("notExecuted", 0))
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
