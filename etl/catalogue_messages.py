"""Catalogue problems as a municipal strategist can act on them: in Swedish, with the file and line, and a
suggestion where one is likely ("menade du N15419?"). Used by ``etl.catalogue`` (every load: the app's
build, ``etl demo``, ``etl build``) and by ``python -m etl check-catalogue``."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import jsonschema
import yaml

Path_ = tuple  # a path into a YAML document: keys and list positions
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: ten times faster

TYPE_NAMES = {"string": "text", "integer": "ett heltal", "number": "ett tal", "boolean": "true eller false",
              "array": "en lista", "object": "en mappning (fält: värde)", "null": "tomt"}
PATTERN_HINTS = {r"^\d{4}$": "fyra siffror inom citattecken, t.ex. \"0181\"",
                 r"^00\d{2}$": "länets kod med 00 före, inom citattecken, t.ex. \"0001\" för Stockholms län"}


def line_index(text: str) -> dict[Path_, int]:
    """Every key and list item of a YAML text → its line (1-based). A key's own line for the key, so a
    missing field is reported at its parent's first line."""
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return {}
    out: dict[Path_, int] = {}

    def walk(node, path: Path_) -> None:
        out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                out[(*path, key.value)] = key.start_mark.line + 1
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    if root is not None:
        walk(root, ())
    return out


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


def suggest(word: str, choices) -> str:
    """ " (menade du X?)" for the closest choice, or nothing."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (menade du {close[0]}?)" if close else ""


def where(path: Path_) -> str:
    return "/".join(str(p) for p in path) or "(filens början)"


def swedish(error: jsonschema.ValidationError) -> str:
    """One schema violation in Swedish."""
    v, value, inst = error.validator, error.validator_value, error.instance
    handlers = {
        "required": lambda: _required(error),
        "type": lambda: _type(inst, value),
        "enum": lambda: f"{inst!r} är inte tillåtet; välj ett av: {', '.join(map(str, value))}{suggest(inst, value)}",
        "const": lambda: f"ska vara {value!r}",
        "pattern": lambda: f"{inst!r} har fel form: skriv {PATTERN_HINTS.get(value, f'text som följer mönstret {value}')}",
        "additionalProperties": lambda: _extra(error),
        "minItems": lambda: "listan är tom" if not inst else f"listan ska ha minst {value} delar",
        "maxItems": lambda: f"listan ska ha högst {value} delar",
        "minLength": lambda: "får inte vara tom",
        "minimum": lambda: f"{inst} är för litet (minst {value})",
        "maximum": lambda: f"{inst} är för stort (högst {value})",
        "exclusiveMinimum": lambda: f"{inst} ska vara större än {value}",
        "exclusiveMaximum": lambda: f"{inst} ska vara mindre än {value}",
    }
    if v in handlers:
        return handlers[v]()
    if v in ("anyOf", "oneOf") and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        return swedish(best)
    return f"ogiltigt värde {inst!r} (regel: {v})"


def _required(error: jsonschema.ValidationError) -> str:
    missing = [p for p in error.validator_value if isinstance(error.instance, dict) and p not in error.instance]
    name = missing[0] if missing else error.message.split("'")[1]
    return f"fältet {name} saknas"


def _type(inst, expected) -> str:
    names = " eller ".join(TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
    text = f"{inst!r} ska vara {names}"
    if expected == "string" and isinstance(inst, int | float) and not isinstance(inst, bool):
        text += f" – skriv den inom citattecken, t.ex. \"{inst}\" (annars läses den som ett tal och en inledande 0 försvinner)"
    return text


def _extra(error: jsonschema.ValidationError) -> str:
    known = list((error.schema.get("properties") or {}).keys())
    extra = [k for k in error.instance if k not in known] if isinstance(error.instance, dict) else []
    return "; ".join(f"okänt fält {k}{suggest(k, known)}" for k in extra) or "okänt fält"


def _error_path(error: jsonschema.ValidationError) -> Path_:
    """Where to point: the unknown key itself, else the value's path."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = (error.schema.get("properties") or {}).keys()
        extra = [k for k in error.instance if k not in known]
        if extra:
            return (*path, extra[0])
    return path


def schema_messages(data, file_schema: dict, path: Path, lines: dict[Path_, int], limit: int = 30) -> list[str]:
    """Every schema violation of ``data`` as "fil:rad: plats: meddelande", in the file's order."""
    validator = jsonschema.Draft202012Validator(file_schema)
    out = []
    for e in validator.iter_errors(data):
        where_ = _error_path(e)
        out.append((line_of(lines, where_) or 0, f"{path.name}:{line_of(lines, where_) or '?'}: {where(where_)}: "
                                                   f"{swedish(e)}"))
    return [m for _, m in sorted(out)][:limit]


def at(path: Path, lines: dict[Path_, int], where_: Path_, message: str) -> str:
    """A reference problem at a place in a file."""
    return f"{path.name}:{line_of(lines, where_) or '?'}: {message}"


class LazyLines(dict):
    """A file's line index, read only when a message needs a line (most loads have no problem)."""

    def __init__(self, path: Path):
        super().__init__()
        self.path, self.loaded = path, False

    def _load(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.update(read_lines_now(self.path))

    def __contains__(self, key) -> bool:
        self._load()
        return super().__contains__(key)

    def get(self, key, default=None):
        self._load()
        return super().get(key, default)


def read_lines(path: Path) -> dict[Path_, int]:
    """The line index of a file, read when first asked."""
    return LazyLines(path)


def read_lines_now(path: Path) -> dict[Path_, int]:
    try:
        return line_index(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def yaml_problem(path: Path, exc: yaml.YAMLError) -> str:
    """A YAML syntax error in Swedish with its line."""
    mark = getattr(exc, "problem_mark", None)
    line = f":{mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    hints = {"found character '\\t'": "tabbtecken är inte tillåtna för indrag; använd mellanslag",
             "mapping values are not allowed": "ett kolon på fel ställe – sätt texten inom citattecken",
             "could not find expected ':'": "ett kolon saknas efter fältnamnet (eller texten behöver citattecken)"}
    for key, hint in hints.items():
        if key in str(problem) or key in str(exc):
            return f"{path.name}{line}: ogiltig YAML: {hint}"
    text = re.sub(r"\s+", " ", str(problem))
    return f"{path.name}{line}: ogiltig YAML ({text})"
