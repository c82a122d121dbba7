"""Jinja2 rendering of the replica's page templates (replica/templates/<platform>/…)."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

_environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "xml"]),
    undefined=StrictUndefined,  # a typo in a template must fail loudly, not render an empty field
    keep_trailing_newline=True,
)


def render(template: str, **context) -> str:
    return _environment.get_template(template).render(**context)
