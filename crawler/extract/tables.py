"""The three statistical tables → facts, whatever format the document came in.

Every table is read as a stream of logical rows: the label cells of a row and the value cells after them. That one
reading covers grids with merged cells (docx, PDF), ragged tab-separated text, a table split over pages, and a table
flattened into one paragraph per cell (web pages): a row's labels run until its first value, its values until the
next label. Rows are then matched to vocabulary keys by meaning (keywords that survive typos and variant wording),
and by position in the template's row order when the label says nothing recognisable.

No template fact vanishes unsaid: a row printed with every cell blank gives null facts, whatever the rendering left
of it (text renderings print nothing for a blank cell, so its label runs into the next row's); a row with a cell for
every column is read in printed order, one with fewer cells (a table cut at the page's edge) by where each cell
stands under the column headers, which only readers that lay out pages know (PDF, scans). What is still missing is
named in a warning, by table: whole rows, whole columns, single cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from crawler.extract.blocks import Block, Span, Table
from crawler.extract.values import has_number, is_value, normalize, parse_value
from crawler.extract.vocabulary import (
    APPLICANTS,
    APPLICATION_ROWS,
    CLAUSES,
    FACT_KEYS,
    ITEM_CLAUSE,
    OUTCOMES,
    PROCEEDINGS,
    TEMPLATES,
    active_disclosure_keys,
    application_rows,
    clause_metrics,
    describe_cells,
    template_for_year,
    template_only_metrics,
)

_PROSE_LENGTH = 60  # a paragraph longer than this, or with a full stop, is prose, never a flattened table cell

# 第二十条 table: item row labels and column header labels, by meaning.
ITEM_LABELS = {
    "rules": re.compile(r"规章"),
    "normative_documents": re.compile(r"规范性文件"),
    "licensing": re.compile(r"行政许可"),
    "other_services": re.compile(r"对外管理服务"),
    "penalty": re.compile(r"行政处罚"),
    "coercion": re.compile(r"行政强制"),
    "fees": re.compile(r"事业性收费"),
    "procurement": re.compile(r"集中采购|政府采购"),
}
METRIC_LABELS = {
    "issued": re.compile(r"制发"),
    "repealed": re.compile(r"废止"),
    "in_force": re.compile(r"现行有效"),
    "new_made": re.compile(r"新制作"),
    "new_published": re.compile(r"新公开"),
    "total_published": re.compile(r"公开总数"),
    "prev_items": re.compile(r"上一?年度?项目"),
    "change": re.compile(r"增/?减"),
    "decisions": re.compile(r"处理决定"),
    "fee_amount": re.compile(r"收费金额"),
    "purchase_items": re.compile(r"采购项目"),
    "purchase_amount": re.compile(r"采购总?金额"),
}

# 收到和处理政府信息公开申请情况: row labels by meaning. Checked in this order; the first match wins.
APPLICATION_ROW_LABELS = [
    ("new_received", re.compile(r"新收")),
    ("carried_over", re.compile(r"上一?年度?结转")),
    ("carried_forward", re.compile(r"结转下一?年|下一?年度?继续")),
    ("granted", re.compile(r"予以公开")),
    ("partially_granted", re.compile(r"部分公开")),
    ("denied.state_secret", re.compile(r"国家秘密")),
    ("denied.law_prohibited", re.compile(r"法律|法规|禁止")),
    ("denied.three_securities", re.compile(r"三安全|一稳定")),
    ("denied.third_party", re.compile(r"第三方")),
    ("denied.internal_affairs", re.compile(r"内部事务")),
    ("denied.process_info", re.compile(r"过程性")),
    ("denied.enforcement_file", re.compile(r"执法案卷")),
    ("denied.inquiry", re.compile(r"查询")),
    ("unavailable.not_held", re.compile(r"不掌握")),
    ("unavailable.need_creation", re.compile(r"另行制作|现成信息")),
    ("unavailable.unclear", re.compile(r"不明确|补正后")),
    ("not_processed.complaint", re.compile(r"信访|举报|投诉")),
    ("not_processed.duplicate", re.compile(r"重复申请")),
    ("not_processed.publication", re.compile(r"出版物")),
    ("not_processed.excessive", re.compile(r"大量|反复")),
    ("not_processed.confirmation", re.compile(r"确认|重新出具|已获取")),
    ("other.no_correction", re.compile(r"不补正|逾期未?补正")),
    ("other.no_fee", re.compile(r"缴纳|收费通知")),
    ("other.other", re.compile(r"^\d+[.、]?其他$")),
    ("other", re.compile(r"其他处理$")),
    ("total", re.compile(r"总计$")),
]
_LABELS_JOINED = 3  # a label split over cells or paragraphs ("5.要求行政机关确认或重新" / "出具已获取信息")
# A label opening with its own enumeration ("5.", "(六)", "四、", after normalisation) starts a row: it is not the
# rest of a label cut by a page break.
_ENUMERATED = re.compile(r"\d+[.、]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、")

# Column headers by meaning: the applications table's applicant columns, the review/litigation table's
# proceedings (each over its outcome columns) and outcomes. Checked in this order; the first match wins.
APPLICANT_HEADERS = {
    "natural_person": re.compile(r"自然人"),
    "commercial": re.compile(r"商业"),
    "research": re.compile(r"科研"),
    "social_welfare": re.compile(r"公益|社会组织"),
    "legal_service": re.compile(r"法律服务"),
    "other_org": re.compile(r"^其他(组织)?$"),
    "total": re.compile(r"^总计$"),
}
PROCEEDING_HEADERS = {
    "review": re.compile(r"^行政复议$"),
    "litigation_direct": re.compile(r"未经复议"),
    "litigation_after_review": re.compile(r"复议后"),
}
OUTCOME_HEADERS = {
    "upheld": re.compile(r"维持"),
    "corrected": re.compile(r"纠正"),
    "other": re.compile(r"^其他(结果)?$"),
    "pending": re.compile(r"审结"),
    "total": re.compile(r"^总计$"),
}

_REVIEW_KEYS = [(proceeding, outcome) for proceeding in PROCEEDINGS for outcome in OUTCOMES]


class Cell(NamedTuple):
    """A cell's text, and its horizontal extent on the page where its reader knows it (PDF, scans)."""

    text: str
    span: Span | None = None


@dataclass
class Row:
    """A logical table row: its label cells, then the value cells that follow them (as printed, "" when blank)."""

    label_cells: list[Cell]
    value_cells: list[Cell] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [cell.text for cell in self.label_cells]

    @property
    def values(self) -> list[str]:
        return [cell.text for cell in self.value_cells]

    @property
    def numbered(self) -> bool:
        return any(has_number(value) for value in self.values)

    def describe(self) -> str:
        return normalize("".join(self.labels[-2:]))[:40] or "(no label)"


@dataclass
class Tables:
    """What the three tables say: the template they follow, their facts, and what could not be read."""

    template: str | None
    active_disclosure: list[dict]
    applications: list[dict]
    review_litigation: list[dict]
    warnings: list[str]


def read_tables(blocks: list[Block], regions: dict[str, tuple[int, int]], year: int | None) -> Tables:
    """The facts of the three tables. `regions` bounds where each table is looked for: block index ranges keyed
    'active_disclosure', 'applications', 'review_litigation' (from the section headings, or the whole document)."""
    warnings: list[str] = []
    active_rows = _table_rows(blocks, regions["active_disclosure"], _is_active_start)
    applications_rows = _table_rows(blocks, regions["applications"], _is_applications_start)
    review_rows = _table_rows(blocks, regions["review_litigation"], _is_review_start)
    if not (active_rows or applications_rows or review_rows):
        warnings.append("no statistical tables found")
        return Tables(None, [], [], [], warnings)
    template = _detect_template(active_rows, applications_rows)
    if template is None and year is not None:
        template = template_for_year(year)
        if template is not None:
            warnings.append(f"template not recognisable from the table headers; assumed {template} from the year")
    return Tables(
        template=template,
        active_disclosure=_active_disclosure(active_rows, template, warnings),
        applications=_applications(applications_rows, template, warnings),
        review_litigation=_review_litigation(review_rows, warnings),
        warnings=warnings,
    )


# --- from blocks to logical rows ------------------------------------------------------------------


def _table_rows(blocks: list[Block], region: tuple[int, int], is_start) -> list[Row]:
    """The logical rows of one table: from its first recognisable row to the next table's first row."""
    rows = _logical_rows(blocks[region[0] : region[1]])
    start = next((i for i, row in enumerate(rows) if any(is_start(normalize(label)) for label in row.labels)), None)
    if start is None:
        return []
    others = [test for test in (_is_active_start, _is_applications_start, _is_review_start) if test is not is_start]
    starts_other = (
        i
        for i in range(start + 1, len(rows))
        if any(test(normalize(label)) for test in others for label in rows[i].labels)
    )
    return rows[start : next(starts_other, len(rows))]


def _is_active_start(label: str) -> bool:
    return label.startswith("第二十条") or label.startswith("信息内容")


def _is_applications_start(label: str) -> bool:
    return "勾稽" in label or label == "申请人情况" or "本年新收" in label


def _is_review_start(label: str) -> bool:
    return label.startswith("行政复议") and len(label) <= 8  # a header cell ("行政复议", "行政复议行政诉讼"), not prose


def _logical_rows(blocks: list[Block]) -> list[Row]:
    """Cells of tables and table-like paragraphs, regrouped as (labels, values) rows."""
    rows: list[Row] = []
    for cells in _cell_rows(blocks):
        labels, values = _split_cells(cells)
        if labels and (not rows or rows[-1].value_cells):
            rows.append(Row(labels, values))
        elif labels:  # the open row has no value yet: its label goes on in this cell or paragraph
            rows[-1].label_cells += labels
            rows[-1].value_cells = values
        elif rows:  # values only: the open row's values go on (one paragraph per cell, or a continued row)
            rows[-1].value_cells += values
        elif values:
            rows.append(Row([], values))
    return rows


def _cell_rows(blocks: list[Block]):
    """Each table row's cells (slots without a cell of their own dropped), and each short paragraph line as a row
    of its own."""
    for block in blocks:
        if isinstance(block, Table):
            spans = block.spans or [[None] * len(row) for row in block.rows]
            for row, row_spans in zip(block.rows, spans):
                yield [Cell(text, span) for text, span in zip(row, row_spans) if text is not None]
            continue
        for line in block.splitlines():
            line = line.strip()
            if line and len(line) <= _PROSE_LENGTH and "。" not in line:
                tokens = line.split()
                # A table printed as text lines ("规章 1 0 11") splits at its spaces.
                is_table_line = len(tokens) > 1 and any(has_number(token) for token in tokens)
                yield [Cell(token) for token in tokens] if is_table_line else [Cell(line)]


def _split_cells(cells: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """(labels, values): the non-blank cells up to the row's last label, and every cell after it."""
    last_label = max((i for i, cell in enumerate(cells) if cell.text and not is_value(cell.text)), default=-1)
    return [cell for cell in cells[: last_label + 1] if cell.text], cells[last_label + 1 :]


def _fit(values: list[str], count: int) -> list[str] | None:
    """Exactly `count` values, dropping blank padding at the ends of a ragged row; None if they do not fit."""
    values = list(values)
    while len(values) > count and not values[-1].strip():
        values.pop()
    while len(values) > count and not values[0].strip():
        values.pop(0)
    return values if len(values) == count else None


def _row_cells(row: Row, keys: Sequence, columns: dict) -> list[str | None] | None:
    """The row's cell for each column key ("" when blank; None when the table does not show the column): in
    printed order when the row has a cell for every column; else by where each cell stands under the `columns`
    headers (key → span), as when a table is cut at the page's edge; else blank in every column when no cell has
    text (text renderings print nothing for blank cells). None when the cells cannot be placed."""
    cells = _fit(row.values, len(keys))
    if cells is None and columns and any(cell.span for cell in row.value_cells):
        cells = _placed(row.value_cells, columns, keys)
    if cells is None and not any(value.strip() for value in row.values):
        cells = [""] * len(keys)
    return cells


def _placed(cells: list[Cell], columns: dict, keys: Sequence) -> list[str | None]:
    """Each column's cell by position: the cell holding the centre of the column's header ("" when blank). None for
    a column whose header the table does not show, that no cell of the row stands under, or that two cells with text
    claim; a cell under no header or under several stays unplaced: its column cannot be told."""
    centres = {key: (x0 + x1) / 2 for key, (x0, x1) in columns.items()}
    under: dict = {}
    for cell in cells:
        holding = [key for key, centre in centres.items() if cell.span and cell.span[0] <= centre <= cell.span[1]]
        if len(holding) == 1:
            under.setdefault(holding[0], []).append(cell.text)
    placed = {}
    for key, texts in under.items():
        printed = [text for text in texts if text.strip()]
        placed[key] = printed[0] if len(printed) == 1 else None if printed else ""
    return [placed.get(key) for key in keys]


def _header_cells(rows: list[Row], patterns: dict[str, re.Pattern]) -> list[tuple[str, Span]]:
    """(key, span) of each placed label cell printed above the table's first number that names a column."""
    cells = []
    for row in rows:
        cells += [(key, cell.span) for cell in row.label_cells
                  if cell.span and (key := _match(patterns, normalize(cell.text)))]
        if row.numbered:
            break
    return cells


def _not_found(table: str, facts: list[dict], fields: tuple[str, str], grid: list[tuple[str, str]]) -> list[str]:
    """A warning naming the (row, column) facts of the template's `grid` that the table did not give."""
    found = {(fact[fields[0]], fact[fields[1]]) for fact in facts}
    missing = {key for key in grid if key not in found}
    if not missing:
        return []
    return [f"{table}: not found" + ("" if len(missing) == len(grid) else f": {describe_cells(missing, grid)}")]


def _fact(keys: dict, raw: str) -> dict:
    value, unit = parse_value(raw)
    fact = {**keys, "value": value, "raw": raw}
    if unit:
        fact["unit"] = unit
    return fact


# --- template -------------------------------------------------------------------------------------


def _detect_template(active_rows: list[Row], applications_rows: list[Row]) -> str | None:
    """'2019' or '2021' from the 第二十条 column headers (本年新制作数量 … vs 本年制发件数 …), else from whether
    （六）其他处理 has the 2021 sub-rows; None when neither says."""
    seen = {metric for row in active_rows for label in row.labels for metric in _metrics_in(normalize(label))}
    votes = {template: len(seen & template_only_metrics(template)) for template in TEMPLATES}
    if any(votes.values()):
        return max(votes, key=votes.get)
    if any(application_row_key(row.labels) in ("other.no_correction", "other.no_fee") for row in applications_rows):
        return "2021"
    return None


def _metrics_in(label: str) -> list[str]:
    """The 第二十条 metric keys a header text names, in printed order."""
    found = ((match.start(), key) for key, pattern in METRIC_LABELS.items() if (match := pattern.search(label)))
    return [key for _, key in sorted(found)]


def _match(patterns: dict[str, re.Pattern], text: str) -> str | None:
    return next((key for key, pattern in patterns.items() if pattern.search(text)), None)


# --- 二、主动公开政府信息情况 ---------------------------------------------------------------------------------


def _active_disclosure(rows: list[Row], template: str | None, warnings: list[str]) -> list[dict]:
    """Facts (clause, item, metric). Columns come from the clause's header row (信息内容 | metric …), or from the
    template when a header is missing; an item's clause follows from the item itself."""
    facts: list[dict] = []
    seen: set[str] = set()
    header: list[str] = []
    for row in rows:
        item = None
        for label in map(normalize, row.labels):
            if _is_active_start(label):  # a clause's first row (第二十条第（一）项) or its header (信息内容 …)
                # A header comes as a cell per column, or as one text ("信息内容 本年制发件数 本年废止件数 …").
                header, item = _metrics_in(label), None
            elif metrics := _metrics_in(label):
                header += metrics
            else:
                item = _match(ITEM_LABELS, label)
        if item is None:
            if row.numbered:
                warnings.append(f"第二十条 table: row '{row.describe()}' is not a template row; ignored")
            continue
        clause = ITEM_CLAUSE[item]
        known = {metric for by_template in CLAUSES[clause]["metrics"].values() for metric in by_template}
        metrics = header or (list(clause_metrics(clause, template)) if template else [])
        values = _fit(row.values, len(metrics))
        if item in seen or values is None or not set(metrics) <= known:
            problem = "repeated" if item in seen else f"{len(row.values)} values for columns {metrics}"
            warnings.append(f"第二十条 table: row '{row.describe()}' {problem}; ignored")
            continue
        seen.add(item)
        keys = ({"clause": clause, "item": item, "metric": metric} for metric in metrics)
        facts += [_fact(key, raw) for key, raw in zip(keys, values)]
    if template is not None:
        warnings += _not_found("第二十条 table", facts, ("item", "metric"), active_disclosure_keys(template))
    return facts


# --- 三、收到和处理政府信息公开申请情况 ----------------------------------------------------------------------------


def application_row_key(labels: list[str], previous: Row | None = None) -> str | None:
    """The row key a row's labels mean: its last label alone, else joined with the one or two before it, else
    (for a label cut by a page break, which does not open with an enumeration of its own) with the labels of the
    numberless row before it."""
    candidates = [normalize("".join(labels[-width:])) for width in range(1, min(len(labels), _LABELS_JOINED) + 1)]
    if previous is not None and not previous.numbered and not (labels and _ENUMERATED.match(normalize(labels[-1]))):
        candidates.append(normalize("".join(previous.labels + labels)))
    for text in candidates:
        for key, pattern in APPLICATION_ROW_LABELS:
            if pattern.search(text):
                return key
    return None


def _applications(rows: list[Row], template: str | None, warnings: list[str]) -> list[dict]:
    """Facts (row, applicant), seven applicant columns per row, rows in the template's order."""
    rows = _blank_rows_split_off(rows)
    keys = [application_row_key(row.labels, rows[i - 1] if i else None) for i, row in enumerate(rows)]
    numbered_keys = {key for key, row in zip(keys, rows) if row.numbered}
    if any(key and key.startswith("other.") for key in numbered_keys):
        single_other = False
    else:
        single_other = "other" in numbered_keys or template == "2019"
    order = application_rows(single_other)
    columns = dict(reversed(_header_cells(rows, APPLICANT_HEADERS)))  # the first header naming a column
    cells_by_key: dict[str, list[str | None] | None] = {}  # None: the row is there but its cells could not be placed
    position = -1  # index in `order` of the last row read
    for index, (key, row) in enumerate(zip(keys, rows)):
        labelled_below = set(keys[index + 1 :])
        if not row.numbered:
            # A row printed with every cell blank (blank meaning 0, or an unfilled template) states its facts, as
            # nulls; unless it is the first piece of a label that goes on in a row further down.
            if key not in order or key in cells_by_key or key in labelled_below:
                continue
        elif key not in order:
            # An unrecognised label (a typo) is the row after the last one read, unless a row further down is
            # labelled as that one: then it is an extra row (其中：网上申请), not the template's.
            key = next((k for k in order[position + 1 :] if k not in cells_by_key and k not in labelled_below), None)
            if key is None:
                warnings.append(f"applications table: row '{row.describe()}' not recognised; ignored")
                continue
        if key in cells_by_key:
            warnings.append(f"applications table: row '{row.describe()}' repeats {key}; ignored")
            continue
        position = order.index(key)
        cells_by_key[key] = _row_cells(row, APPLICANTS, columns)
        if cells_by_key[key] is None:
            # Left unread rather than guessed: which column lost its cell cannot be told.
            warnings.append(
                f"applications table: row {key} has {len(row.values)} cells for {len(APPLICANTS)} columns; skipped"
            )
        if key == "carried_forward":
            break  # the table's last row
    facts = [
        _fact({"row": key, "applicant": applicant}, raw)
        for key in order
        for applicant, raw in zip(APPLICANTS, cells_by_key.get(key) or ())
        if raw is not None
    ]
    grid = [(row, applicant) for row in order for applicant in APPLICANTS]
    warnings += _not_found("applications table", facts, FACT_KEYS["applications"], grid)
    return facts


def _blank_rows_split_off(rows: list[Row]) -> list[Row]:
    """The rows, with the rows printed without cells that ran into the next row's labels split off again. Text
    renderings print nothing for a blank cell, so the label of a row with every cell blank joins the labels of the
    row after it; it shows as a label naming a template row, followed by a label that opens with an enumeration
    and does not name an earlier template row (a header's labels run into the table's first row)."""
    split = []
    for row in rows:
        start = 0
        for end in range(1, len(row.label_cells)):
            head = application_row_key(row.labels[start:end])
            rest = application_row_key(row.labels[end:])
            if (head and _ENUMERATED.match(normalize(row.labels[end]))
                    and (rest is None or APPLICATION_ROWS.index(rest) > APPLICATION_ROWS.index(head))):
                split.append(Row(row.label_cells[start:end]))
                start = end
        split.append(Row(row.label_cells[start:], row.value_cells))
    return split


# --- 四、政府信息公开行政复议、行政诉讼情况 --------------------------------------------------------------------------


def _review_litigation(rows: list[Row], warnings: list[str]) -> list[dict]:
    """Facts (proceeding, outcome): the fifteen cells under the header, review first, then the two lawsuits."""
    row = next((row for row in rows if row.values), None)
    cells = [] if row is None else _row_cells(row, _REVIEW_KEYS, _review_columns(rows))
    if cells is None:
        warnings.append(f"review/litigation table: {len(row.values)} cells for {len(_REVIEW_KEYS)} columns; ignored")
    facts = [
        _fact({"proceeding": proceeding, "outcome": outcome}, raw)
        for (proceeding, outcome), raw in zip(_REVIEW_KEYS, cells or ())
        if raw is not None
    ]
    warnings += _not_found("review/litigation table", facts, FACT_KEYS["review_litigation"], _REVIEW_KEYS)
    return facts


def _review_columns(rows: list[Row]) -> dict[tuple[str, str], Span]:
    """Where each (proceeding, outcome) column's header is printed: an outcome's header under its proceeding's."""
    proceedings = _header_cells(rows, PROCEEDING_HEADERS)
    columns = {}
    for outcome, (x0, x1) in _header_cells(rows, OUTCOME_HEADERS):
        centre = (x0 + x1) / 2
        proceeding = next((key for key, (left, right) in proceedings if left <= centre <= right), None)
        if proceeding is not None:
            columns.setdefault((proceeding, outcome), (x0, x1))
    return columns
