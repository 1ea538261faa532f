"""Ladda upp: a survey file uploaded, previewed and published by a redaktör (issue #27). In the menu only for
a signed-in user who may write; a crafted link from anyone else gets the Swedish refusal (and every write
checks the role again on the server, in services.uploads)."""

from components import upload_editor
from services.auth import Principal
from services.context import ViewContext


def page(ctx: ViewContext, principal: Principal) -> None:
    upload_editor.render(principal, ctx.kommun)
