"""CSV downloads: one writer for every export, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime
import io

from tandem.core.downloads import csv_download, csv_text


def test_text_a_spreadsheet_would_run_is_written_behind_an_apostrophe():
    text = csv_text(
        ["Title", "Date", "Hours", "Note"],
        [
            ['=HYPERLINK("http://evil.example","x")', datetime.date(2026, 12, 2), 1.5, None],
            ["+44 20 7946 0000", datetime.date(2027, 1, 4), 0, "@SUM(A1)"],
            ["-1", None, None, "\tTabbed"],
        ],
    )
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [
        ["Title", "Date", "Hours", "Note"],
        ['\'=HYPERLINK("http://evil.example","x")', "2026-12-02", "1.5", ""],
        ["'+44 20 7946 0000", "2027-01-04", "0", "'@SUM(A1)"],
        ["'-1", "", "", "'\tTabbed"],
    ]


def test_a_download_is_an_attachment_kept_out_of_shared_caches():
    response = csv_download("audit-trail", ["Action"], [["record.view"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-trail.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.decode("utf-8-sig") == "Action\r\nrecord.view\r\n"
