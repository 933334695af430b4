"""Validation problems as data: every rule has an id, a severity and a plain description.

Examples
--------
>>> p = Problem("unknown-reference", "systems.csv", 14, "supplier_id", "S-ATLASS",
...             '"S-ATLASS" is not a known supplier id.', 'Did you mean "S-ATLAS"?')
>>> print(p)
systems.csv line 14, column supplier_id: "S-ATLASS" is not a known supplier id. Did you mean "S-ATLAS"?
>>> p.severity
'error'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["RULES", "Rule", "Problem", "has_errors", "ordered", "problems_table", "with_article"]


def with_article(word: str) -> str:
    """The word after "a" or "an", as English spells it before a vowel sound.

    >>> with_article("organisation"), with_article("system"), with_article("Access"), with_article("unique id")
    ('an organisation', 'a system', 'an Access', 'a unique id')
    """
    vowel = word[:1].lower() in "aeiou" and not word.lower().startswith(("uni", "use", "eu", "one"))
    return f"{'an' if vowel else 'a'} {word}"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error" stops the load; "warning" does not
    description: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule("no-inventory", "error", "No inventory file was found in what was given."),
        Rule("not-text", "error", "The file is not a text (CSV) file or a workbook that can be read."),
        Rule("too-large", "error", "The input is larger, more compressed or more deeply nested than sovmap reads (SOVMAP_MAX_INPUT_MB)."),
        Rule("bad-encoding", "error", "The text is neither UTF-8 nor plausibly Windows-1252; it was not guessed."),
        Rule("unclosed-quote", "error", "A quoted value runs over line breaks and delimiters: probably a quote is not closed."),
        Rule("quote-spans-rows", "warning", "A quoted value closes on a later line, and both lines look like whole rows: two rows may have been read as one."),
        Rule("formula-without-value", "error", "A workbook cell holds a formula without a calculated value, so it would read as empty."),
        Rule("merged-cells", "error", "Workbook cells are merged, so all but the first would read as empty."),
        Rule("unnamed-column", "warning", "A column has no usable name (empty or just a dash); its values were not read."),
        Rule("reserved-name", "error", "The column name is one sovmap uses internally."),
        Rule("reserved-id", "error", "The id has the form sovmap uses for countries (country:XX)."),
        Rule("unknown-file", "warning", "The file name is not one of the inventory's files; it was not read."),
        Rule("duplicate-file", "error", "Two files hold the same part of the inventory."),
        Rule("empty-file", "warning", "The file has no data rows."),
        Rule("missing-column", "error", "A required column is missing from the header."),
        Rule("duplicate-column", "error", "The header names the same column twice."),
        Rule("extra-cells", "error", "A row has more values than the header has columns."),
        Rule("missing-value", "error", "A required value is empty."),
        Rule("duplicate-id", "error", "An id is used more than once (ids are unique across all files)."),
        Rule("unknown-value", "error", "The value is not one of the accepted values for this column."),
        Rule("unknown-country", "error", "The value is not a country code or name."),
        Rule("unknown-reference", "error", "The id does not exist in the inventory, or is of the wrong kind."),
        Rule("unknown-type", "error", "The dependency type is not known."),
        Rule("type-not-implied", "error", "The dependency type is empty and cannot be implied from the kinds at both ends."),
        Rule("type-mismatch", "error", "The dependency type does not fit the kinds at both ends."),
        Rule("self-reference", "error", "A row refers to itself."),
        Rule("parent-cycle", "error", "A chain of parents (parent_id) runs in a circle."),
        Rule("bad-share", "error", "A co-owner's share is not a number above 0 and at most 100 percent."),
        Rule("duplicate-co-owner", "warning", "The same co-owner is listed twice in co_owner_ids; it is counted once."),
        Rule("shares-over-100", "warning", "The co-owners' shares add up to more than 100 percent."),
        Rule("co-owner-is-parent", "warning", "A co-owner is also the controlling owner (parent_id); it is counted once, as the owner."),
        Rule("bad-date", "error", "The value is not a date (YYYY-MM-DD, YYYY-MM or YYYY)."),
        Rule("bad-notice-period", "error", "The notice period is not a number of months or years."),
        Rule("end-before-start", "error", "A contract's end date is before its start date."),
        Rule("duplicate-in-list", "warning", "The same id is listed twice in a list of ids; it is counted once."),
        Rule("verified-without-source", "warning", "Ownership is marked verified, but no source is given."),
        Rule("bad-min-required", "error", "min_required is not a whole number of at least 1."),
        Rule("min-required-too-large", "error", "min_required is larger than the number of alternatives in its group."),
        Rule("min-required-disagrees", "error", "The rows of one group of alternatives give different min_required values."),
        Rule("min-required-without-group", "error", "min_required above 1 is given on a dependency that is not in a group."),
        Rule("duplicate-dependency", "warning", "The same dependency is listed twice; it is counted once."),
        Rule("no-supplier-or-location", "warning", "The system has no supplier and no location, so it cannot be assessed."),
        Rule("unreadable-source", "error", "The file to convert is not of the kind expected, or cannot be read."),
        Rule("unsafe-xml", "error", "The XML file declares a DTD or entities; it was refused for safety."),
        Rule("bad-mapping", "error", "The column mapping file names a column or field that does not exist."),
        Rule("unmapped-column", "warning", "A column of the converted file has no place in the inventory; it is kept as an extra column."),
        Rule("unmapped-value", "warning", "A value of the converted file could not be interpreted; the cell was left empty."),
        Rule("unmapped-element", "warning", "An element of the converted model has no counterpart in the inventory; it was not imported."),
        Rule("unmapped-relationship", "warning", "A relationship of the converted model has no counterpart in the inventory; it was not imported."),
        Rule("conflicting-value", "warning", "Two rows give different values for the same item; the first was kept."),
        Rule("actor-role-unknown", "warning", "Nothing in the model says whether an actor linked to applications is a supplier or part of the organisation."),
        Rule("supplier-unknown", "warning", "The model names no supplier for an application that should have one."),
        Rule("gleif-wrong-file", "error", "The file is not the GLEIF golden-copy CSV file expected, or cannot be read."),
        Rule("gleif-malformed-row", "warning", "A row of a GLEIF file cannot be used (damaged, or a bad value); it was skipped."),
        Rule("gleif-unknown-lei", "warning", "The supplier's LEI is not in the GLEIF level-1 file given."),
        Rule("gleif-ambiguous-name", "warning", "Several active GLEIF records have the supplier's legal name; none was applied."),
        Rule("gleif-no-parent", "warning", "GLEIF records no parent for the supplier; its ownership is not verified by GLEIF."),
        Rule("gleif-no-record", "warning", "A parent named in the GLEIF relationship file has no level-1 record."),
        Rule("gleif-cycle", "warning", "GLEIF's parent would make the inventory's owners run in a circle; it was not applied."),
        Rule("unknown-catalogue-id", "error", "The id looks like a supplier catalogue id (CAT-...) but is not in the catalogue."),
        Rule("catalogue-disagrees", "warning", "The inventory's value differs from the supplier catalogue; the inventory's value was kept."),
    ]
}


@dataclass(frozen=True)
class Problem:
    """One finding: where (file, line, column), what value, what is wrong, how to fix it."""

    rule: str
    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    hint: str = ""

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.column:
            where += f", column {self.column}"
        text = f"{where}: {self.message}"
        return f"{text} {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        return {"severity": self.severity, **asdict(self)}


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then by file and line."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.file, p.line or 0))


def problems_table(problems: list[Problem]) -> list[dict]:
    """Rows for a report (file, line, column, value, problem, hint), errors first."""
    return [
        {"severity": p.severity, "file": p.file, "line": p.line, "column": p.column, "value": p.value,
         "problem": p.message, "hint": p.hint, "rule": p.rule}
        for p in ordered(problems)
    ]
