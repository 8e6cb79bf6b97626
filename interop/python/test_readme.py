"""The README's Python install line and example are true: the install line is the one
interop/run.sh runs (from the repository root) to make this environment, and the example,
run as written against the live server, prints what its comment says."""
import os
import pathlib
import re
import subprocess
import sys
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADDRESS = os.environ.get("ABSTRACTIONS_ADDRESS", "localhost:8980")


def section():
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Python, Node and grpcurl\n")
    return readme[start:readme.index("\n## ", start + 1)]


class ReadmeTest(unittest.TestCase):
    def test_the_install_line_is_the_one_run_sh_runs(self):
        self.assertEqual(re.findall(r"`(pip install [^`]+)`", section()), ["pip install ./src-gen/python"])
        self.assertIn('"$PY" -m pip install --quiet ./src-gen/python', (ROOT / "interop" / "run.sh").read_text())

    def test_the_example_prints_what_it_says(self):
        example = re.search(r"```python\n(.*?)```", section(), re.S).group(1)
        expected = re.search(r"^\s*print\(.*\)\s+# (.*)$", example, re.M).group(1)
        self.assertIn('"localhost:8980"', example)
        run = subprocess.run([sys.executable, "-c", example.replace('"localhost:8980"', repr(ADDRESS))],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual((run.stderr, run.returncode), ("", 0))
        self.assertEqual(run.stdout, expected + "\n")


if __name__ == "__main__":
    unittest.main()
