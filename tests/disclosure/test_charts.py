"""charts: server-rendered SVG pictures."""
from disclosure.enums import ComplianceMark
from tests.disclosure.helpers import D


def test_compliance_calendar_scales_with_its_cell():
    from disclosure import charts
    from disclosure.enums import ComplianceMark

    marks = [(D(2026, m, 1), ComplianceMark.ON_TIME) for m in range(1, 13)]
    svg = str(charts.compliance_strip(marks))
    assert svg.startswith('<svg class="chart compliance"')
    assert 'viewBox="0 0 252 32"' in svg and 'width="100%"' in svg
    assert "max-width:252px" in svg and "height:auto" in svg
    assert 'height="32"' not in svg.split(">", 1)[0]  # no fixed size on the picture itself
    assert svg.count("<rect") == 12
