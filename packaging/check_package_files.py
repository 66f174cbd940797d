#!/usr/bin/python3
"""Checks the files the package installs for desktops and man: each validates with Debian's own
validator, versions agree with the project's, and the window's man page lists exactly the options
`compresslab --help` prints.

usage: check_package_files.py SOURCE_DIR BUILD_DIR VERSION   (ctest: packaging_files)
"""
import os
import re
import subprocess
import sys
import unittest

SOURCE, BUILD, VERSION = sys.argv[1:4] if len(sys.argv) >= 4 else ("", "", "")
APP_ID = "org.compresslab.CompressLab"
DESKTOP_DIR = os.path.join(SOURCE, "resources", "desktop")


def run(*command, env=None):
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def long_options(text):
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text))


class PackageFiles(unittest.TestCase):
    def test_desktop_entry_validates(self):
        out = run("desktop-file-validate", os.path.join(DESKTOP_DIR, APP_ID + ".desktop"))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertNotIn("error", (out.stdout + out.stderr).lower())

    def test_desktop_entry_names_the_installed_icon_and_binary(self):
        entry = read(os.path.join(DESKTOP_DIR, APP_ID + ".desktop"))
        self.assertIn(f"Icon={APP_ID}\n", entry)
        self.assertIn("Exec=compresslab %f\n", entry)
        self.assertTrue(os.path.isfile(os.path.join(DESKTOP_DIR, APP_ID + ".svg")))

    def test_metainfo_validates_without_warnings(self):
        out = run("appstreamcli", "validate", "--no-net", "--explain",
                  os.path.join(DESKTOP_DIR, APP_ID + ".metainfo.xml"))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertNotRegex(out.stdout, r"(?m)^[EW]: ", out.stdout)

    def test_metainfo_release_is_this_version(self):
        metainfo = read(os.path.join(DESKTOP_DIR, APP_ID + ".metainfo.xml"))
        self.assertRegex(metainfo, rf'<release version="{re.escape(VERSION)}"',
                         "add a <release> for the project's version to the metainfo")

    def test_man_pages_render_without_warnings(self):
        pages = [os.path.join(SOURCE, "packaging", "man", "compresslab.1"),
                 os.path.join(BUILD, "packaging", "compresslab-cli.1")]
        for page in pages:
            out = run("groff", "-man", "-ww", "-z", page)
            self.assertEqual(out.returncode, 0, page)
            self.assertEqual(out.stderr, "", f"{page}: {out.stderr}")
            self.assertRegex(read(page), rf'\.TH \S+ 1 "[0-9-]+" "CompressLab {re.escape(VERSION)}"')

    def test_cli_man_page_has_every_command(self):
        page = read(os.path.join(BUILD, "packaging", "compresslab-cli.1"))
        top = run(os.path.join(BUILD, "bin", "compresslab-cli"), "--help").stdout
        commands = re.findall(r"(?m)^  ([a-z]+) ", top.split("commands:")[1].split("\n\n")[0])
        self.assertGreaterEqual(len(commands), 10)
        for command in commands:
            self.assertIn(f".SS {command}\n", page)

    def test_window_man_page_lists_exactly_the_windows_options(self):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        out = run(os.path.join(BUILD, "bin", "compresslab"), "--help", env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        printed = long_options(out.stdout) - {"--help-all"}
        page = read(os.path.join(SOURCE, "packaging", "man", "compresslab.1"))
        documented = long_options(page.replace("\\-", "-"))
        self.assertEqual(printed, documented, "compresslab --help and packaging/man/compresslab.1 disagree")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
