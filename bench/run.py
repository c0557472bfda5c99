"""Run every bench/bench_*.py script in turn; each prints its figures and the command behind them."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
scripts = sorted(here.glob("bench_*.py"))
if len(sys.argv) > 1:
    scripts = [s for s in scripts if any(name in s.name for name in sys.argv[1:])]
failed = []
for script in scripts:
    result = subprocess.run([sys.executable, str(script.relative_to(here.parent))], cwd=here.parent)
    if result.returncode:
        failed.append(script.name)
if failed:
    print(f"\nThese benchmarks could not run: {', '.join(failed)}")
