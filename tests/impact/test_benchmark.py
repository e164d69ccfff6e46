import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_benchmark_prints_a_row_per_page(dataset):
    out = io.StringIO()
    call_command("benchmark", "-n", "2", "--warmup", "0", stdout=out)
    text = out.getvalue()
    assert "2 requests per page and mode after 0 warm-up, language uz" in text
    for label, url in [
        ("healthz", "/healthz"),
        ("impact", "/impact/"),
        ("portfolio", "/innox/startups/"),
        ("search", "/search/?q=texnopark"),
    ]:
        line = next(line for line in text.splitlines() if line.startswith(label))
        assert url in line and " 200 " in line, line
    assert "peak RSS of this process:" in text
