"""The three primary sources: loading, checking, reading text and sentence ids.

>>> from homs import sources
>>> a = sources.get("A")
>>> a.sentence("A-2").text[:25]
'Homs - for many the capita'

Source A is stored Penn-Treebank tokenized; :attr:`Source.reading` is its prose form and
:attr:`Source.offsets` maps between the two. Sources B and C are stored as prose already, so
their reading text is the raw text and the map is the identity.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from homs._detok import OffsetMap, detokenize
from homs._sentences import split_paragraphs, split_sentences
from homs.errors import DataError, Problem

__all__ = [
    "CAPTIONS",
    "SOURCE_IDS",
    "Citation",
    "Sentence",
    "Source",
    "cite",
    "get",
    "load",
    "seeds_dir",
    "sentence",
]

SOURCE_IDS = ("A", "B", "C")
#: Sentences of Source A that begin with a photo caption or the end of a pull-quote from the
#: original web page, run into the sentence (see the notes on Source A in the catalog).
CAPTIONS: tuple[str, ...] = ("A-1", "A-13", "A-19", "A-28")
CATALOG = "catalog.yaml"
_SENTENCE_ID = re.compile(r"^([ABC])-([1-9][0-9]*)$")


def seeds_dir() -> Path:
    """The folder holding the seeds and their catalog.

    Inside an installed wheel that is ``homs/seeds``; in a source checkout (including an
    editable install) it is the repository's top-level ``seeds/``.
    """
    packaged = resources.files("homs") / "seeds"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "seeds"
    if checkout.is_dir():
        return checkout
    raise DataError(
        Problem(
            str(packaged),
            "seeds",
            "the seeds folder is missing from the installed package",
            "Reinstall homs (pip install --force-reinstall homs) or run from a source checkout.",
        )
    )


@dataclass(frozen=True)
class Sentence:
    """One citable sentence, with its span in the reading and the raw text."""

    id: str
    source: str
    number: int
    paragraph: int
    text: str
    start: int
    end: int
    raw_start: int
    raw_end: int
    heading: bool

    @property
    def raw_text(self) -> str:
        """The sentence as stored in the seed (tokenized for Source A)."""
        return get(self.source).raw[self.raw_start : self.raw_end]


@dataclass(frozen=True)
class Citation:
    """A verbatim quote located in one sentence of a source."""

    sentence: str
    quote: str
    start: int
    end: int
    raw_start: int
    raw_end: int

    @property
    def source(self) -> str:
        """The source letter, ``A``, ``B`` or ``C``."""
        return self.sentence.split("-", 1)[0]

    @property
    def raw_quote(self) -> str:
        """The quote as stored in the seed."""
        return get(self.source).raw[self.raw_start : self.raw_end]


@dataclass(frozen=True)
class Source:
    """One source text with its catalog entry, reading text, offset map and sentences."""

    id: str
    path: Path
    raw: str
    offsets: OffsetMap
    sentences: tuple[Sentence, ...]
    catalog: Mapping[str, Any] = field(repr=False)

    @property
    def reading(self) -> str:
        """The text as prose (for Source A, detokenized; for B and C, the stored text)."""
        return self.offsets.reading

    @property
    def title(self) -> str:
        """The title as the catalog gives it (stated or, for Source A, descriptive)."""
        return str(self.catalog["title"]["value"])

    @property
    def label(self) -> str:
        """A short label for charts and lists, e.g. ``Source B (AFP-style report, 2024)``."""
        return f"Source {self.id} ({self.catalog['short']})"

    def sentence(self, sentence_id: str) -> Sentence:
        """The sentence with this id; raises ``KeyError`` naming the id if there is none."""
        number = _parse_sentence_id(sentence_id, self.id)
        if not 1 <= number <= len(self.sentences):
            raise KeyError(
                f"{sentence_id}: Source {self.id} has sentences {self.id}-1 to "
                f"{self.id}-{len(self.sentences)}"
            )
        return self.sentences[number - 1]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing reading offset ``offset``, if any."""
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None

    def __iter__(self) -> Iterator[Sentence]:
        return iter(self.sentences)


def _parse_sentence_id(sentence_id: str, source_id: str | None = None) -> int:
    match = _SENTENCE_ID.match(sentence_id)
    if not match or (source_id is not None and match.group(1) != source_id):
        expected = f"{source_id}-<n>" if source_id else "A-<n>, B-<n> or C-<n>"
        raise KeyError(f"{sentence_id!r} is not a sentence id; expected {expected}")
    return int(match.group(2))


def _build_sentences(source_id: str, offsets: OffsetMap) -> tuple[Sentence, ...]:
    text = offsets.reading
    result = []
    for paragraph, (p_start, p_end) in enumerate(split_paragraphs(text), start=1):
        spans = split_sentences(text, p_start, p_end)
        for start, end in spans:
            raw_start, raw_end = offsets.to_raw(start, end)
            sentence_text = text[start:end]
            heading = len(spans) == 1 and not re.search(r"[.!?][\"')\]]*$", sentence_text)
            number = len(result) + 1
            result.append(
                Sentence(
                    f"{source_id}-{number}",
                    source_id,
                    number,
                    paragraph,
                    sentence_text,
                    start,
                    end,
                    raw_start,
                    raw_end,
                    heading,
                )
            )
    return tuple(result)


def _read_catalog(folder: Path) -> dict[str, Mapping[str, Any]]:
    from homs import _schema

    path = folder / CATALOG
    data = _schema.load_yaml(path)
    _schema.validate(data, "catalog", path)
    return {entry["id"]: entry for entry in data["sources"]}


def _load_one(folder: Path, entry: Mapping[str, Any]) -> Source:
    path = folder / entry["file"]
    item = f"Source {entry['id']} ({entry['file']})"
    if not path.is_file():
        raise DataError(
            Problem.at(
                path,
                item,
                "the seed file is missing",
                "Copy it byte for byte from the original seeds (shared/seeds/).",
            )
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"]:
        raise DataError(
            Problem.at(
                path,
                item,
                f"the file has been altered: its SHA-256 is {digest}, the catalog expects "
                f"{entry['sha256']}",
                "Restore the original bytes (git checkout -- seeds/); "
                "the sources are never edited.",
            )
        )
    raw = data.decode("utf-8")
    offsets = (
        detokenize(raw) if entry["tokenization"]["value"] == "penn-treebank" else _identity(raw)
    )
    return Source(entry["id"], path, raw, offsets, _build_sentences(entry["id"], offsets), entry)


def _identity(raw: str) -> OffsetMap:
    spans = tuple((i, i + 1) for i in range(len(raw)))
    return OffsetMap(raw, raw, spans, spans)


def load(folder: Path | None = None) -> dict[str, Source]:
    """Loads and checks the three sources.

    Args:
        folder: A seeds folder; the packaged seeds by default.

    Returns:
        The sources by id, ``A``, ``B`` and ``C``.

    Raises:
        DataError: A seed is missing or altered, or the catalog is malformed.
    """
    if folder is None:
        return dict(_default())
    folder = Path(folder)
    catalog = _read_catalog(folder)
    missing = [sid for sid in SOURCE_IDS if sid not in catalog]
    if missing:
        raise DataError(
            Problem.at(
                folder / CATALOG,
                "sources",
                f"no entry for source(s) {', '.join(missing)}",
                "Add one entry per source, with ids A, B and C.",
            )
        )
    return {sid: _load_one(folder, catalog[sid]) for sid in SOURCE_IDS}


@cache
def _default() -> Mapping[str, Source]:
    return load(seeds_dir())


def get(source_id: str) -> Source:
    """One of the packaged sources, by id (``"A"``, ``"B"`` or ``"C"``)."""
    try:
        return _default()[source_id]
    except KeyError:
        raise KeyError(f"{source_id!r} is not a source; the sources are A, B and C") from None


def sentence(sentence_id: str) -> Sentence:
    """The packaged sentence with this id, e.g. ``sentence("B-12")``."""
    _parse_sentence_id(sentence_id)
    return get(sentence_id.split("-", 1)[0]).sentence(sentence_id)


def cite(sentence_id: str, quote: str, sources: Mapping[str, Source] | None = None) -> Citation:
    """Locates ``quote`` verbatim in the reading text of one sentence.

    Args:
        sentence_id: Where the quote is, e.g. ``"A-31"``.
        quote: The exact words, as in the reading text.
        sources: Sources to look in; the packaged ones by default.

    Returns:
        The citation with its reading and raw spans.

    Raises:
        KeyError: The sentence id does not exist.
        ValueError: The quote is not in that sentence, word for word.
    """
    _parse_sentence_id(sentence_id)
    source = (sources or _default())[sentence_id.split("-", 1)[0]]
    found = source.sentence(sentence_id)
    where = found.text.find(quote) if quote else -1
    if where < 0:
        raise ValueError(f"the quote {quote!r} is not in {sentence_id}: {found.text!r}")
    start = found.start + where
    end = start + len(quote)
    raw_start, raw_end = source.offsets.to_raw(start, end)
    return Citation(sentence_id, quote, start, end, raw_start, raw_end)
