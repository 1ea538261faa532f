"""Mål: the strategy's targets set by a redaktör (issue #27). In the menu only for a signed-in user who may
set them; a crafted link from anyone else gets the Swedish refusal (and every write checks the role again on
the server, in services.targets)."""

from components import target_editor
from services.auth import Principal
from services.context import ViewContext


def page(ctx: ViewContext, principal: Principal) -> None:
    target_editor.render(principal, ctx.kommun)
