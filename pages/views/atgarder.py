"""Åtgärder – rapportera / granska: the action plan reported in the app (issue #27). In the menu only for a
signed-in user with the role (åtgärdsansvarig to report; redaktör or administratör to review); a crafted
link from anyone else gets the Swedish refusal (and every write checks the role again on the server, in
services.action_reports)."""

from components import action_reports
from services.auth import Principal
from services.context import ViewContext


def report_page(ctx: ViewContext, principal: Principal) -> None:  # noqa: ARG001 - every page takes ctx
    action_reports.render_report(principal)


def review_page(ctx: ViewContext, principal: Principal) -> None:
    action_reports.render_review(principal, ctx.kommun)
