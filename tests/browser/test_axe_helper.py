"""The accessibility check must be able to fail, or its passes mean nothing."""

import pytest

from tests.browser.conftest import AxeViolations, assert_no_serious_axe_violations


def test_axe_helper_reports_serious_violations(page):
    page.set_content(
        '<html><body><img src="x.png"><a href="#x"></a>'
        '<label>Name</label><input type="text"></body></html>'
    )
    with pytest.raises(AxeViolations) as excinfo:
        assert_no_serious_axe_violations(page)
    assert "image-alt" in str(excinfo.value)
