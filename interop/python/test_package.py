"""Checks the installed Python package and the wheel built from src-gen/python: the version is
the server's, the dependencies are grpcio, protobuf and googleapis-common-protos, google.rpc
comes from googleapis-common-protos (no copy of it is bundled), every generated module has its
type stub, and the wheel holds exactly what `pip install src-gen/python` installed.

interop/run.sh passes the built wheel in ABSTRACTIONS_WHEEL.
"""
import importlib.metadata
import os
import pathlib
import re
import unittest
import zipfile

import abstractions
from google.rpc import status_pb2

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIST = "abstractions-client"


def server_version():
    pom = (ROOT / "pom.xml").read_text()
    return re.search(r"<version>([^<]+)</version>", pom).group(1).removesuffix("-SNAPSHOT")


def package_files(names):
    """The package's own files among names (no metadata, no bytecode)."""
    return sorted(n for n in names if ".dist-info/" not in n and "__pycache__" not in n)


class PackageTest(unittest.TestCase):
    def setUp(self):
        self.dist = importlib.metadata.distribution(DIST)
        self.files = package_files(str(f) for f in self.dist.files)

    def test_version_is_the_servers(self):
        self.assertEqual(self.dist.version, server_version())

    def test_depends_on_grpcio_protobuf_and_googleapis_common_protos(self):
        self.assertEqual(sorted(self.dist.requires),
                         ["googleapis-common-protos>=1.56", "grpcio>=1.51", "protobuf>=3.20,<8"])
        self.assertEqual(self.dist.metadata["License-Expression"], "Apache-2.0")

    def test_google_rpc_comes_from_googleapis_common_protos(self):
        self.assertEqual([f for f in self.files if not f.startswith("abstractions/")], [])
        common = importlib.metadata.distribution("googleapis-common-protos")
        self.assertEqual(pathlib.Path(status_pb2.__file__), pathlib.Path(common.locate_file("google/rpc/status_pb2.py")))

    def test_the_installed_package_is_tested_not_the_source_tree(self):
        self.assertEqual(pathlib.Path(abstractions.__file__),
                         pathlib.Path(self.dist.locate_file("abstractions/__init__.py")))
        self.assertNotIn(str(ROOT), abstractions.__file__)

    def test_every_generated_module_has_a_type_stub(self):
        modules = [f for f in self.files if re.fullmatch(r"abstractions/v1/\w+_pb2(_grpc)?\.py", f)]
        self.assertEqual(len(modules), 7)  # four _pb2, three _pb2_grpc (errors.proto has no service)
        for module in modules:
            self.assertIn(module + "i", self.files)
        self.assertIn("abstractions/py.typed", self.files)

    def test_the_built_wheel_holds_what_was_installed(self):
        wheel = os.environ.get("ABSTRACTIONS_WHEEL")
        if not wheel:
            self.skipTest("ABSTRACTIONS_WHEEL not set (interop/run.sh sets it)")
        self.assertEqual(pathlib.Path(wheel).name, f"abstractions_client-{server_version()}-py3-none-any.whl")
        with zipfile.ZipFile(wheel) as z:
            self.assertEqual(package_files(z.namelist()), self.files)


if __name__ == "__main__":
    unittest.main()
