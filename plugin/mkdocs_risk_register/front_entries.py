"""Front matter of many versions of the same files, each distinct top-level entry parsed once.

A register's history holds thousands of versions of its risk files, and a commit
mostly changes a line or two of one file: the other entries of its front matter
(``key: value`` with the lines that belong to it) are the same text as in the
version before. :class:`EntryCache` cuts the front matter into its top-level
entries and parses only the entries it has not seen before, with the loader's
own parser (those new in one version together, when each is found as one key).

This is a fast path, and only for values: an entry that parses on its own to one
key reads as it does in the whole front matter, because each entry starts a line
at column 0 with a plain key, so nothing before it can still be open (an unclosed
quote, bracket or block before it fails on its own). Whatever the cut cannot vouch
for is left to the whole parse, which also gives the diagnostics: anchors (aliases
may expand past the loader's node limit, which the whole parse counts across
entries), front matter large enough to reach that limit, a line at column 0 that
is not a plain key, or an entry that is not exactly one key. The values' ``line``
numbers count from their entry, not from the file; warnings are not given.
"""

from __future__ import annotations

import re

from .loader import MAX_YAML_NODES, FrontMatterValue, ParsedFile, decode, parse_front_matter, split_front_matter

# A new entry starts at each line that begins with something other than a space (an indented
# continuation), '-' (an item of a list at column 0) or '#' (a comment); blank lines stay in the entry
# before, and so does the line break that ends it (a block scalar kept with ``|+`` holds it).
_ENTRY_START = re.compile(r"(?<=\n)(?=[^ \n#-])")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]")
# Without anchors nothing expands: each node takes at least half a character of the text, so
# front matter below this size cannot reach the node limit that the whole parse enforces.
_MAX_SIZE = MAX_YAML_NODES // 2 - 1
Entry = tuple[str, FrontMatterValue] | None


class EntryCache:
    """Parsed top-level entries by their text, kept for as long as the history is."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def parse_file(self, path: str, data: bytes) -> ParsedFile | None:
        """The file's fields from its cached entries; None when only the whole parse can read it."""
        text = decode(path, data)
        if not isinstance(text, str):
            return None
        split = split_front_matter(path, text)
        if not isinstance(split, tuple):
            return None
        front, body = split
        if len(front) > _MAX_SIZE or "&" in front:
            return None
        texts = _ENTRY_START.split(front)
        entries = self.entries
        new = [text for text in texts if text not in entries]
        if len(new) > 1:
            entries.update(_parse_together(path, new))
        fields: dict[str, FrontMatterValue] = {}
        for text in texts:
            try:
                entry = entries[text]
            except KeyError:
                entry = entries[text] = _parse_entry(path, text)
            if entry is None:
                return None
            fields[entry[0]] = entry[1]  # a key given twice: the later value, in the first one's place, as YAML
        return ParsedFile(path, fields, body)


def _parse_together(path: str, texts: list[str]) -> dict[str, Entry]:
    """The entries new to the cache in one version, parsed in one go (one parser, not one each: the
    first version of each file is mostly new text); {} when the parse does not find exactly one key at
    the first line of each entry, so that each is parsed on its own."""
    starts, line = [], 2
    for text in texts:
        if not _PLAIN_KEY.match(text):
            return {}
        starts.append(line)
        line += text.count("\n")
    parsed = parse_front_matter(path, "".join(texts))
    if not isinstance(parsed, tuple) or parsed[1] or len(parsed[0]) != len(texts):
        return {}
    items = list(parsed[0].items())
    if [value.line for _, value in items] != starts:
        return {}
    # Lines as the entry's own parse would give them.
    return {text: (key, value._replace(line=2)) for text, (key, value) in zip(texts, items, strict=True)}


def _parse_entry(path: str, text: str) -> Entry:
    if not _PLAIN_KEY.match(text):
        return None
    parsed = parse_front_matter(path, text)
    if not isinstance(parsed, tuple):
        return None
    fields, warnings = parsed
    if warnings or len(fields) != 1:
        return None
    return next(iter(fields.items()))
