"""The installed package is typed: pyright (strict) over typing_usage.py, resolving
``abstractions`` from this interpreter's environment, finds no error, and every misuse marked
there is one. pyright is a devDependency of interop/node (interop/run.sh runs ``npm ci`` first)."""
import pathlib
import subprocess
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent
PYRIGHT = HERE.parent / "node" / "node_modules" / ".bin" / "pyright"


class TypingTest(unittest.TestCase):
    def test_the_package_type_checks_under_pyright_strict(self):
        self.assertTrue(PYRIGHT.exists(), f"{PYRIGHT} missing: run npm ci in interop/node")
        run = subprocess.run([str(PYRIGHT), "-p", str(HERE / "pyrightconfig.json"), "--pythonpath", sys.executable],
                             capture_output=True, text=True, timeout=300)
        self.assertEqual((run.returncode, run.stdout.strip().splitlines()[-1]),
                         (0, "0 errors, 0 warnings, 0 informations"), run.stdout + run.stderr)


if __name__ == "__main__":
    unittest.main()
