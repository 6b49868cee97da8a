"""Tests for homs.sources: the seeds, their catalog, reading text and sentence ids."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from helpers import ROOT
from homs import sources
from homs.errors import DataError

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
SEED_HASHES = {
    "000_429c9639ad7b913b.txt": "029bd3b9dbaa3d8b75774b6fe9470dfe58723894b99a637add0e18035461a32b",
    "001_2449035d2c662a19.txt": "0fbccd4585aaee0f2428df2fd91d9cf5f4147512eb66141dd036722f94966e65",
    "002_ee2d63f4997a81cb.txt": "178ee197b7a9d695d01c0497174e4ede13deed446929bb56944538d06ac54be0",
}


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds folder."""
    folder = tmp_path / "seeds"
    shutil.copytree(sources.seeds_dir(), folder)
    return folder


@pytest.mark.parametrize(("name", "digest"), SEED_HASHES.items())
def test_seeds_are_byte_identical(name: str, digest: str) -> None:
    """Each seed has the SHA-256 of the original text."""
    assert hashlib.sha256((sources.seeds_dir() / name).read_bytes()).hexdigest() == digest


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
@pytest.mark.parametrize("name", SEED_HASHES)
def test_seeds_match_shared_originals(name: str) -> None:
    """The project's seeds are the very bytes of shared/seeds."""
    assert (sources.seeds_dir() / name).read_bytes() == (SHARED_SEEDS / name).read_bytes()


def test_catalog_names_each_seed_with_its_hash() -> None:
    """The catalog's file names and hashes are the seeds'."""
    loaded = sources.load()
    assert {s.catalog["file"]: s.catalog["sha256"] for s in loaded.values()} == SEED_HASHES


def test_three_sources_in_order() -> None:
    """The sources are A, B and C with their files and tokenizations."""
    loaded = sources.load()
    assert list(loaded) == ["A", "B", "C"]
    assert loaded["A"].catalog["tokenization"]["value"] == "penn-treebank"
    assert loaded["B"].reading == loaded["B"].raw
    assert loaded["C"].reading == loaded["C"].raw


def test_source_a_reads_as_prose() -> None:
    """Source A's reading text has no Treebank symbols and standard spacing."""
    text = sources.get("A").reading
    for token in ("-LRB-", "-RRB-", "``", "''", " n't", " 's", " ,", " .", " :"):
        assert token not in text
    assert "just don't give up" in text
    assert "Homs's resilience" in text
    assert '"(Homs) is one place' in text
    assert "taking part (in protests) that" in text


def test_sentence_ids_are_stable() -> None:
    """Sentence ids, counts and a few anchor sentences stay as citations expect."""
    assert [len(s.sentences) for s in sources.load().values()] == [37, 21, 31]
    assert sources.sentence("A-31").text.startswith("A day later, she and French photographer")
    assert sources.sentence("B-8").text == (
        "Prior to the conflict the city's population was estimated at 800,000."
    )
    assert sources.sentence("C-23").text.startswith("Prior to the battle")


def test_sentences_map_to_their_raw_tokens() -> None:
    """Every sentence's raw span is the stored text of that sentence."""
    a = sources.get("A")
    # A-6's opening quote is stored as the last token of the line before.
    assert sources.sentence("A-6").raw_text.startswith("'' \n-LRB- Homs -RRB- is one place")
    for s in a.sentences:
        assert a.offsets.to_reading(s.raw_start, s.raw_end) == (s.start, s.end)


def test_headings_are_marked() -> None:
    """Lines without closing punctuation in B and C are headings."""
    headings = [s.id for src in sources.load().values() for s in src.sentences if s.heading]
    assert headings == [
        "B-1",
        "C-1",
        "C-2",
        "C-6",
        "C-7",
        "C-11",
        "C-12",
        "C-16",
        "C-17",
        "C-21",
        "C-22",
        "C-26",
        "C-27",
    ]


def test_splitter_keeps_abbreviations_and_quotes() -> None:
    """Abbreviations and initials do not end sentences; closing quotes stay with theirs."""
    from homs._sentences import split_sentences

    text = 'Mr. Wood met U.S. officials. "It is over." Then J. Smith left.'
    parts = [text[a:b] for a, b in split_sentences(text)]
    assert parts == ["Mr. Wood met U.S. officials.", '"It is over."', "Then J. Smith left."]


def test_cite_locates_quotes_in_both_texts() -> None:
    """A quote cited in the reading text is a span of the raw text too."""
    citation = sources.cite("A-6", "people just don't give up")
    assert citation.raw_quote == "people just do n't give up"
    assert citation.source == "A"


def test_cite_refuses_a_quote_not_in_the_sentence() -> None:
    """A quote that is not word for word in its sentence raises and shows the sentence."""
    with pytest.raises(ValueError, match="not in A-2"):
        sources.cite("A-2", "at least 60 dead")


@pytest.mark.parametrize("bad", ["A-0", "A-38", "D-1", "a-1", "A1"])
def test_unknown_sentence_ids_are_refused(bad: str) -> None:
    """A sentence id that does not exist raises a KeyError naming it."""
    with pytest.raises(KeyError, match=bad):
        sources.sentence(bad)


def test_an_altered_seed_is_named(seeds_copy: Path) -> None:
    """Changing one byte of a seed is reported with the file, the source and what to do."""
    path = seeds_copy / "001_2449035d2c662a19.txt"
    path.write_bytes(path.read_bytes().replace(b"800,000", b"900,000"))
    with pytest.raises(DataError) as info:
        sources.load(seeds_copy)
    message = str(info.value)
    assert "001_2449035d2c662a19.txt" in message
    assert "Source B" in message
    assert "altered" in message
    assert "git checkout" in message


def test_a_missing_seed_is_named(seeds_copy: Path) -> None:
    """A missing seed file is reported by name."""
    (seeds_copy / "002_ee2d63f4997a81cb.txt").unlink()
    with pytest.raises(DataError, match=r"002_ee2d63f4997a81cb\.txt.*missing"):
        sources.load(seeds_copy)


def test_a_malformed_catalog_names_the_entry(seeds_copy: Path) -> None:
    """A catalog entry without a required field is named in the error."""
    catalog = seeds_copy / "catalog.yaml"
    catalog.write_text(
        catalog.read_text("utf-8").replace("    short: AFP-style", "    shrt: AFP-style")
    )
    with pytest.raises(DataError) as info:
        sources.load(seeds_copy)
    assert "entry 'B'" in str(info.value)
    assert "'short' is a required property" in str(info.value)


def test_broken_yaml_gives_line_and_column(seeds_copy: Path) -> None:
    """Unparsable YAML is reported with its line and column."""
    (seeds_copy / "catalog.yaml").write_text("sources: [\n  - id: A\n", "utf-8")
    with pytest.raises(DataError, match=r"catalog\.yaml: line \d+, column \d+: not valid YAML"):
        sources.load(seeds_copy)


def test_unknown_source_is_refused() -> None:
    """Asking for a source other than A, B or C says which exist."""
    with pytest.raises(KeyError, match="the sources are A, B and C"):
        sources.get("D")
