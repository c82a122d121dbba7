"""No row vanishes (issue 10, item 8): every fact of the template is in the output or named in a warning, and no
check passes without the facts it compares.
"""

from __future__ import annotations

from crawler.extract.checks import run_checks
from tests.test_extract_messy import SEED_EXPECTED


def test_check_lacking_columns_is_not_passed():
    """Facts without two columns: no check of the applications table passes; each names the columns it lacked."""
    applications = [fact for fact in SEED_EXPECTED["applications"] if fact["applicant"] not in ("other_org", "total")]
    checks, warnings = run_checks(applications, SEED_EXPECTED["review_litigation"])
    assert [check["name"] for check in checks] == ["review_litigation_totals"]
    assert warnings == [f"check {name} not evaluated where facts are missing: columns other_org, total"
                        for name in ("applications_balance", "applications_total_row", "applications_total_column")]
