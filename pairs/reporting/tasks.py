"""Jobs of reporting, run by the worker: the generation of a yearly report."""

from procrastinate.contrib.django import app

from pairs.platforms.tenancy import platform_scope

from .selectors.report import report_platform_id
from .services import reports


@app.task(queue="reports", name="yearly_report_generate")
def yearly_report_generate(report_id: int) -> None:
    """Compute the report's sections, lay out the PDF and write the spreadsheet, saving the progress
    as it goes. The job works inside the report's platform scope, as a request of that platform."""
    platform_id = report_platform_id(report_id)
    if platform_id is None:
        return  # the report was deleted meanwhile
    with platform_scope(platform_id):
        reports.report_generate(report_id=report_id)
