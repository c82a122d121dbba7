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


def homepage(site_name: str, menu: list[tuple[str, str]], latest: list[tuple[str, str, str]],
             scripts: list[str] = (), charset: str = "utf-8") -> bytes:
    """A site's homepage, as every platform model serves one: its name, a menu of (href, text) — where a
    visitor (and discovery) finds the 信息公开 section —, the latest items (href, title, date), the template's
    scripts; encoded in the site's charset."""
    return render("home.html", site_name=site_name, menu=menu, latest=latest, scripts=scripts,
                  charset=charset).encode(charset, errors="xmlcharrefreplace")
