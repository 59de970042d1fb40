"""The canonical serialization of signed content: the shared vectors in Python,
and the same vectors through the JS module in node (tests/js/signoff_canonical.test.mjs)."""

import base64
import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from server.signoff.canonical import (
    CanonicalError,
    canonical_bytes,
    canonical_content,
    challenge,
    content_sha256,
    nonce_bytes,
    serialize,
)

ROOT = Path(__file__).parents[2]
VECTORS = json.loads((ROOT / "tests/vectors/signoff_canonical.json").read_text("utf-8"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_vector(vector):
    content = canonical_bytes(**vector["input"])
    assert content.decode() == vector["canonical"]
    assert content.hex() == vector["canonical_hex"]
    assert content_sha256(content) == vector["content_sha256"]
    digest = challenge(content, vector["nonce"])
    assert digest.hex() == vector["challenge_hex"]
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == vector["challenge_b64url"]


@pytest.mark.parametrize("vector", VECTORS["errors"], ids=lambda v: v["name"])
def test_refused(vector):
    with pytest.raises(CanonicalError):
        canonical_bytes(**vector["input"])


def test_the_first_vector_is_the_documented_example():
    """docs/signoff-canonical.md shows this text; keep the spec and the code in step."""
    doc = (ROOT / "docs/signoff-canonical.md").read_text("utf-8")
    assert VECTORS["vectors"][0]["canonical"] in doc


def test_decomposed_and_composed_text_sign_the_same_bytes():
    base = VECTORS["vectors"][0]["input"]
    composed = {**base, "participant": {**base["participant"], "first_name": "Äänis"}}
    decomposed = {**base, "participant": {**base["participant"], "first_name": "A\u0308a\u0308nis"}}
    assert canonical_bytes(**composed) == canonical_bytes(**decomposed)


def test_database_dates_and_wire_dates_agree():
    base = VECTORS["vectors"][0]["input"]
    as_date = {**base["demonstration"], "demonstration_date": date(2026, 10, 15)}
    assert canonical_content(as_date, base["tasks"], base["participant"], base["employer"]) == (
        canonical_content(**base)
    )


def test_any_content_change_changes_the_bytes():
    base = VECTORS["vectors"][0]["input"]
    original = canonical_bytes(**base)
    task = {**base["tasks"][0], "result": "partly_met"}
    assert canonical_bytes(**{**base, "tasks": [task, base["tasks"][1]]}) != original


def test_floats_are_not_canonical_numbers():
    assert serialize({"a": 1}) == '{"a":1}'
    with pytest.raises(CanonicalError):
        canonical_bytes({"id": "x", "title": 1.5}, [], {}, {})


@pytest.mark.parametrize("bad", ["00", "AB" * 32, "zz" * 32, None])
def test_nonce_encoding(bad):
    assert nonce_bytes("0f" * 32) == bytes([15]) * 32
    with pytest.raises(CanonicalError):
        nonce_bytes(bad)


def test_javascript_module_agrees_with_the_vectors():
    node = shutil.which("node")
    if node is None:
        reason = "node is not installed: the JS half of the canonical vectors did not run"
        print(reason)
        if IN_CI:
            pytest.fail(f"{reason} (CI=true)")
        pytest.skip(reason)
    result = subprocess.run(
        [node, "--test", "tests/js/signoff_canonical.test.mjs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
