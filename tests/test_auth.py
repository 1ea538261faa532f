"""Issue #27: who the user is and what they may write (services/auth.py, pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from services import auth
from services.auth import ANONYMOUS, Grant, RolesFileError, parse_roles_file, principal_from_claims, require

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = auth.load_roles_file(ROOT / "deploy" / "roles.example.toml")


def claims(sub: str, **extra) -> dict:
    return {"is_logged_in": True, "sub": sub, "email": f"{sub}@example.se", **extra}


def test_the_example_roles_file_gives_the_example_users_their_roles():
    editor = principal_from_claims(claims("redaktor-0181"), EXAMPLE)
    assert editor.grants == (Grant("redaktör", "0181"),)
    assert editor.role_label == "redaktör (0181)"
    owner = principal_from_claims(claims("ansvarig-telge"), EXAMPLE)
    assert owner.grants == (Grant("åtgärdsansvarig", "Telge Bostäder AB"),)
    assert owner.has("åtgärdsansvarig", "Telge Bostäder AB") and not owner.has("redaktör", "0181")
    reader = principal_from_claims(claims("lasare"), EXAMPLE)
    assert reader.signed_in and reader.grants == (Grant("läsare"),) and not reader.has("redaktör", "0181")


def test_an_unknown_signed_in_user_is_a_reader_without_grants():
    p = principal_from_claims(claims("someone-else"), EXAMPLE)
    assert p.signed_in and p.grants == () and p.role_label == "läsare"


def test_no_claims_or_logged_out_is_anonymous():
    assert principal_from_claims({}, EXAMPLE) is ANONYMOUS
    assert principal_from_claims({"is_logged_in": False}, EXAMPLE) is ANONYMOUS
    assert principal_from_claims({"email": "test@example.com"}, EXAMPLE) is ANONYMOUS  # no subject


def test_the_roles_claim_wins_over_the_roles_file():
    p = principal_from_claims(claims("redaktor-0181", roles=["läsare"]), EXAMPLE)
    assert p.grants == (Grant("läsare"),)
    p = principal_from_claims(claims("x", roles=["redaktor:0181", "Atgardsansvarig:Telge  Bostäder AB",
                                                 "administrator", "OtherApp.Write", "redaktör:181"]))
    assert p.grants == (Grant("redaktör", "0181"), Grant("åtgärdsansvarig", "Telge Bostäder AB"),
                        Grant("administratör"))


def test_the_groups_claim_is_never_read():
    p = principal_from_claims(claims("x", groups=["administratör", "redaktör:0181"]), EXAMPLE)
    assert p.grants == () and not p.has("redaktör", "0181") and not p.is_admin


def test_a_roles_file_entry_may_name_the_user_by_email_in_any_case():
    rf = parse_roles_file('[[user]]\nid = "Anna.Berg@Sodertalje.se"\nroles = ["redaktör"]\n'
                          'municipalities = ["0181", "1287"]\n')
    p = principal_from_claims({"sub": "abc-123", "email": "anna.berg@sodertalje.se"}, rf)
    assert p.scopes("redaktör") == ("0181", "1287")


def test_require_passes_the_right_role_and_refuses_others_in_swedish():
    editor = principal_from_claims(claims("redaktor-0181"), EXAMPLE)
    require(editor, "redaktör", kommun="0181")
    with pytest.raises(PermissionError, match="kräver rollen redaktör för kommun 1287.*Inget har ändrats"):
        require(editor, "redaktör", kommun="1287")
    reader = principal_from_claims(claims("lasare"), EXAMPLE)
    with pytest.raises(PermissionError, match="inloggad som läsare"):
        require(reader, "redaktör", kommun="0181")
    with pytest.raises(PermissionError, match="inte inloggad"):
        require(ANONYMOUS, "redaktör", kommun="0181")
    owner = principal_from_claims(claims("ansvarig-telge"), EXAMPLE)
    require(owner, "åtgärdsansvarig", organisation="Telge Bostäder AB")
    with pytest.raises(PermissionError, match="åtgärdsansvarig för Södertälje kommun"):
        require(owner, "åtgärdsansvarig", organisation="Södertälje kommun")


def test_an_administrator_holds_every_role():
    admin = principal_from_claims(claims("admin"), EXAMPLE)
    require(admin, "redaktör", kommun="1287")
    require(admin, "åtgärdsansvarig", organisation="Vilken som helst")


@pytest.mark.parametrize(("text", "message"), [
    ('[[user]]\nid = "a"\nroles = ["chef"]\n', "okänd roll ”chef”"),
    ('[[user]]\nid = "a"\nroles = ["redaktör"]\n', "behöver municipalities"),
    ('[[user]]\nid = "a"\nroles = ["redaktör"]\nmunicipalities = [181]\n', "fyrsiffriga"),
    ('[[user]]\nid = "a"\nroles = ["åtgärdsansvarig"]\n', "behöver bodies"),
    ('[[user]]\nroles = ["läsare"]\n', "id saknas"),
    ('[[user]]\nid = "a"\nroles = ["läsare"]\ngroups = ["x"]\n', "okända fält groups"),
    ('[users]\n', "bara \\[\\[user\\]\\]"),
    ('[[user]\n', "inte giltig TOML"),
])
def test_a_bad_roles_file_is_refused_in_swedish(text, message):
    with pytest.raises(RolesFileError, match=message):
        parse_roles_file(text)


def test_a_missing_roles_file_says_so(tmp_path):
    with pytest.raises(RolesFileError, match="finns inte"):
        auth.load_roles_file(tmp_path / "roller.toml")


def test_the_roles_file_path_comes_from_the_environment_before_the_secrets(monkeypatch, tmp_path):
    monkeypatch.delenv(auth.ROLES_FILE_ENV, raising=False)
    assert auth.roles_file_path(None) is None
    assert auth.roles_file_path("deploy/roles.example.toml") == ROOT / "deploy" / "roles.example.toml"
    monkeypatch.setenv(auth.ROLES_FILE_ENV, str(tmp_path / "r.toml"))
    assert auth.roles_file_path("deploy/roles.example.toml") == tmp_path / "r.toml"
