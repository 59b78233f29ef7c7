"""Self-hosted copies of Temml, KaTeX, a maths font and Mermaid, fetched from the npm registry.

Readers in mainland China cannot rely on CDNs, so every script a page needs is
served from the site itself. The tarballs are pinned by version *and* by the
registry's sha512 integrity, downloaded once into `.cache/vendor/` and copied
into the built site; nothing is pasted into the repository by hand.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "vendor"
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str
    keep: tuple[str, ...]  # path prefixes inside the tarball's package/ folder
    build_only: tuple[str, ...] = ()  # file names used by the build and not copied into the site
    published: bool = True  # whether dist/ is copied into the site at all

    @property
    def folder(self) -> Path:
        return CACHE / f"{self.name.replace('/', '-')}-{self.version}"

    @property
    def url(self) -> str:
        """The registry's tarball address; a scoped package's file is named without its scope."""
        return f"{REGISTRY}/{self.name}/-/{self.name.rpartition('/')[2]}-{self.version}.tgz"


PACKAGES = (
    Package(
        "temml",  # formulas to MathML at build time (handbook.formulas)
        "0.13.5",
        "sha512-aPkDDgunanpLNL0ql32HbolqLep+w8DRcVXRql7rWrMt/PhczdLgL4UBYYVU3BYjCNjkGq4EqwIicu/zWr1iOg==",
        ("dist/temml.min.js",),
        published=False,
    ),
    Package(
        "@fontsource/stix-two-math",  # the maths font, subset at build time (handbook.mathfont)
        "5.3.0",
        "sha512-negoeozw6VSXjZMozwKRSm/dhCQT62csZcuea9I8KYqPaZq/8KbbBBrA02ZHF7AyuR5mVML/p+q0bwFuSIf2GQ==",
        ("files/stix-two-math-latin-400-normal.woff2", "LICENSE"),
        published=False,
    ),
    Package(
        "katex",  # checks every formula at build time; draws them in browsers without MathML
        "0.16.22",
        "sha512-XCHRdUw4lf3SKBaJe4EvgqIuWwkPSo9XoeO8GjQW94Bp7TWv9hNhzZjZ+OH9yf1UmLygb7DIT5GSFQiyt16zYg==",
        ("dist/katex.min.js", "dist/katex.min.css", "dist/fonts/"),
        build_only=("contrib",),  # older caches kept KaTeX's auto-render, which the site does not use
    ),
    Package(
        "mermaid",
        "11.17.2",
        "sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==",
        ("dist/mermaid.esm.min.mjs", "dist/chunks/mermaid.esm.min/"),
    ),
)

# Fetched the same way for the tests, never copied into the site.
AXE = Package(
    "axe-core",
    "4.10.2",  # the version bench/package.json pins for `make bench`
    "sha512-RE3mdQ7P3FRSe7eqCWoeQ/Z9QXrtniSjp1wUjt5nRC3WIpz5rSCve6o3fsZ2aCpJtrZjSZgjwXAoTO5k4tEI0w==",
    ("axe.min.js",),
)


class VendorError(RuntimeError):
    """A pinned package could not be fetched or did not match its integrity."""


def _verify(data: bytes, package: Package) -> None:
    algorithm, _, expected = package.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise VendorError(f"{package.url}: integrity mismatch (expected {package.integrity})")


def _download(package: Package) -> bytes:
    try:
        with urllib.request.urlopen(package.url, timeout=120) as response:
            return response.read()
    except OSError as error:
        raise VendorError(f"cannot download {package.url}: {error}") from error


def _extract(data: bytes, package: Package) -> None:
    staging = package.folder.with_suffix(".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            inner = member.name.removeprefix("package/")
            if member.isfile() and inner.startswith(package.keep):
                target = staging / inner
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.extractfile(member).read())
    staging.rename(package.folder)


def ensure(packages: tuple[Package, ...] = PACKAGES) -> list[Package]:
    """Make sure every pinned package is unpacked in the cache; fetch what is missing."""
    for package in packages:
        if not package.folder.is_dir():
            data = _download(package)
            _verify(data, package)
            _extract(data, package)
    return list(packages)


def folder(name: str) -> Path:
    """The unpacked copy of one pinned package, fetched if needed (the build reads KaTeX from it)."""
    return next(package.folder for package in ensure() if package.name == name)


def swap_fonts(css: str) -> str:
    """Let text show in a fallback font while a KaTeX font loads (Lighthouse: font-display).

    KaTeX's stylesheet declares its @font-face rules without `font-display`,
    so browsers hide formulas for up to 3 s on a slow phone connection.
    """
    return css.replace("@font-face{", "@font-face{font-display:swap;")


def _publish_katex_css(target: Path) -> None:
    css = target / "katex.min.css"
    if css.is_file():
        css.write_text(swap_fonts(css.read_text(encoding="utf-8")), encoding="utf-8")


def copy_into(site_dir: Path) -> None:
    """Copy the unpacked packages to `<site>/assets/vendor/<name>/`, less what only the build uses."""
    for package in ensure():
        if not package.published:
            continue
        target = site_dir / "assets" / "vendor" / package.name
        stamp = target / ".version"
        if stamp.is_file() and stamp.read_text() == package.version:
            continue  # already copied by an earlier language's build
        ignore = shutil.ignore_patterns(*package.build_only) if package.build_only else None
        shutil.copytree(package.folder / "dist", target, dirs_exist_ok=True, ignore=ignore)
        _publish_katex_css(target)
        stamp.write_text(package.version)


if __name__ == "__main__":
    for fetched in ensure():
        print(f"{fetched.name} {fetched.version}: {fetched.folder}")
