"""Anteckningar: notes on the trends written by a redaktör (issue #27). In the menu only for a signed-in user
who may write them; a crafted link from anyone else gets the Swedish refusal (and every write checks the role
again on the server, in services.notes)."""

from components import notes_editor
from services.auth import Principal
from services.context import ViewContext


def page(ctx: ViewContext, principal: Principal) -> None:
    notes_editor.render(principal, ctx.kommun)
