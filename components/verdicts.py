"""The one wording policy for verdicts: every sentence or cell that judges a figure is written here.

A verdict word (förbättrad, försämrad, bättre, sämre, ökande, minskande, säker skillnad …) appears only
where a test at 95 % supports it (services.stats). Otherwise the difference is stated neutrally with its
unit (procentenheter for percentages) and marked "ej testad", with the reason where there is one.
"""

from __future__ import annotations

from components import fmt
from components.fmt import NBSP
from services.analysis import ADJUSTED, Change, Gap
from services.stats import TrendTest

UNTESTED = "ej testad"
VERDICT_WORDS = ("förbättrad", "försämrad", "bättre", "sämre", "tyder på", "ökande", "minskande",
                 "ökat", "minskat", "säker skillnad", "hög risk", "låg risk", "svagt skydd", "starkt skydd")

CHANGE_WORD = {"improved": "Förbättrad", "worsened": "Försämrad", "up": "Ökat", "down": "Minskat",
               "no_change": "Ingen säker förändring"}
# The municipality's place among the others whose 95 % intervals do not overlap its own (Jämför kommuner).
RANK_POLAR = "säkert bättre än {better} och säkert sämre än {worse}"
RANK_NEUTRAL = "säkert lägre än {above} och säkert högre än {below}"
SURE_DIFFERENCE = "Säker skillnad"
NO_SURE_DIFFERENCE = "Ingen säker skillnad"
# A strategy's target (services.stats.target_check): a direction target by the trend test, a value target by
# the 95 % prediction interval for the target year and whether it is met now.
TARGET_WORD = {"reached": "Målet nått", "reached_now": "Nått nu, men trenden pekar {away} målet",
               "met_uncertain": "Nått nu – osäkert om det håller till målåret",
               "on_track": "På väg mot målet", "off_track": "Inte på väg mot målet", "missed": "Målet inte nått",
               "not_assessable": "Ej bedömbart"}
TARGET_CSS = {"reached": "better", "reached_now": "worse", "met_uncertain": "similar", "on_track": "better",
              "off_track": "worse", "missed": "worse", "not_assessable": "no_test"}


def target_word(check) -> str:
    """The status in words: 'Nått nu, men trenden pekar under målet' for a higher-is-better target."""
    return TARGET_WORD[check.status].format(away="under" if getattr(check, "better", "higher") == "higher"
                                            else "över")
# The highest and lowest district on the district map.
DISTRICT_SURE = "{best} säkert bättre än {worst} (intervallen överlappar inte)"
DISTRICT_NOT_SURE = "skillnaden mellan dem är inte säkerställd"
CHANGE_SYMBOL = {"improved": "▲", "worsened": "▼", "up": "↑", "down": "↓", "no_change": "●"}


def change_css(c: Change) -> str:
    """Colour class: only a tested verdict is coloured."""
    return {"improved": "better", "worsened": "worse", "no_change": "similar"}.get(c.label, "no_test") \
        if c.tested else "no_test"


def change_short(c: Change) -> str:
    """The verdict word(s) alone, for a metric's delta: 'Förbättrad', 'Ingen säker förändring', 'ej testad'."""
    if c.label in CHANGE_WORD:
        return CHANGE_WORD[c.label]
    if c.label == "no_new":
        return "Ingen ny mätning efter basåret"
    if c.label == "untested":
        return UNTESTED
    if c.label == "break":
        return "Ej jämförbar (seriebrott)"
    return "Saknas"


def change_text(c: Change, decimals: int, unit: str, with_symbol: bool = False, reason: bool = True) -> str:
    """'▲ Förbättrad: +7,0 procentenheter sedan 2020' · 'Ingen säker förändring (+1,2 procentenheter sedan
    2020)' · '+0,4 procentenheter sedan 2020 (ej testad: antal svarande saknas)'."""
    if c.label == "no_data":
        return fmt.MISSING
    if c.label == "no_new":
        return change_short(c)
    amount = f"{fmt.signed_unit(c.diff, decimals, unit)} sedan {c.from_year}"
    if c.label == "break":
        return f"{amount} (ej jämförbar: {c.test.reason if c.test else 'seriebrott'})"
    if c.label == "untested":
        why = c.test.reason if reason and c.test is not None and c.test.reason else ""
        return f"{amount} ({UNTESTED}{': ' + why if why else ''})"
    sym = f"{CHANGE_SYMBOL[c.label]} " if with_symbol else ""
    if c.label == "no_change":
        why = f"; {c.test.reason}" if c.test is not None and c.test.reason and (reason or c.test.reason == ADJUSTED) \
            else ""
        return f"{sym}{CHANGE_WORD['no_change']} ({amount}{why})"
    return f"{sym}{CHANGE_WORD[c.label]}: {amount}"


def standing_untested(value, bench, decimals: int, unit: str) -> str:
    """The difference to the comparison where no test is possible: '+2,1 procentenheter mot jämförelsen
    (ej testad)'."""
    if value is None or bench is None:
        return ""
    return f"{fmt.signed_unit(fmt.shown_diff(bench, value, decimals), decimals, unit)} mot jämförelsen ({UNTESTED})"


def gap_text(g: Gap, decimals: int, unit: str) -> str:
    """'+3,1 procentenheter – säker skillnad' · '+1,0 procentenheter – ingen säker skillnad' ·
    '+1,0 procentenheter (ej testad)'."""
    if g.diff is None:
        return fmt.MISSING
    amount = fmt.signed_unit(g.diff, decimals, unit)
    if g.test is None or g.test.significant is None:
        return f"{amount} ({UNTESTED})"
    why = f" ({g.test.reason})" if not g.test.significant and g.test.reason else ""
    return f"{amount} – {'säker skillnad' if g.test.significant else 'ingen säker skillnad'}{why}"


def trend_text(tr: TrendTest, polarity: str, decimals: int | None = None, unit: str = "") -> str:
    """'Ökande – bättre: +3,2 procentenheter 2020–2024 (chi2-test för trend …)' · 'Ingen säker trend (…)' ·
    'Ej testbar: färre än fem mätningar'. With ``decimals`` the size of the change over the tested points
    is stated (always for register data, where it is what the reader needs)."""
    if tr.direction == "not_testable":
        return f"Ej testbar: {tr.reason}"
    kind = ", registeruppgift" if tr.register and tr.basis == "mk" else ""  # intervals mean a sample
    span = f"{tr.first_year}–{tr.last_year}, {tr.method}{kind}"
    size = ""
    if decimals is not None and tr.change is not None:
        size = f"{fmt.signed_unit(tr.change, decimals, unit)} "
    if tr.direction == "no_trend":
        why = f"; {tr.reason}" if tr.reason else ""
        return f"Ingen säker trend ({size}{span}{why})"
    word = "Ökande" if tr.direction == "increasing" else "Minskande"
    if polarity != "neutral":
        good = (tr.direction == "increasing") == (polarity == "higher_better")
        word += " – bättre" if good else " – sämre"
    if size:
        return f"{word}: {size}({span})"
    return f"{word} ({span})"


def trend_css(tr: TrendTest, polarity: str) -> str:
    if tr.direction in ("not_testable", "no_trend") or polarity == "neutral":
        return "no_test" if tr.direction == "not_testable" else "similar" if tr.direction == "no_trend" else "higher"
    good = (tr.direction == "increasing") == (polarity == "higher_better")
    return "better" if good else "worse"


def target_goal(value, year, direction, decimals: int, unit: str) -> str:
    """What the strategy aims for: '80 % år 2030' or 'ska minska'."""
    if direction:
        return f"ska {direction}"
    return f"{fmt.with_unit(value, decimals, unit)} år {int(year)}"


def target_reason(check, value, year, direction, decimals: int, unit: str) -> str:
    """Why a target has its status, in words (one click away in the tables)."""
    goal = target_goal(value, year, direction, decimals, unit)
    if direction:
        tr = check.trend
        judged = trend_text(tr, "higher_better" if direction == "öka" else "lower_better", decimals, unit) \
            if tr is not None else ""
        text = f"Mål: {goal}. Bedöms med trendtestet: {judged}."
        return text if check.status != "not_assessable" or not check.reason or "Ej testbar" in judged \
            else f"{text} Ej bedömbart: {check.reason}."
    if check.status in ("reached", "missed") and check.method == "värdet för målåret":
        return (f"Mål: {goal}. Målåret har passerats: {fmt.with_unit(check.projected, decimals, unit)} "
                f"år {check.last_year}.")
    if check.projected is None:
        text = f"Mål: {goal}."
        if check.latest is not None and check.status == "met_uncertain":
            text += f" Senaste värdet {fmt.with_unit(check.latest, decimals, unit)} når målet."
        return f"{text} Ej bedömbart till målåret: {check.reason}." if check.reason else text
    span = f"{check.first_year}–{check.last_year} ({check.points} mätningar)"
    pi = f"{fmt.number(check.low, decimals)}–{fmt.number(check.high, decimals)}"
    text = (f"Mål: {goal}. Trendlinjen genom {span} ger {fmt.with_unit(check.projected, decimals, unit)} "
            f"år {int(year)} (95 % prognosintervall {pi}).")
    if check.status in ("reached", "reached_now", "met_uncertain"):
        text += f" Senaste värdet {fmt.with_unit(check.latest, decimals, unit)} når redan målet."
    if check.reason:
        text += f" {check.reason[0].upper()}{check.reason[1:]}."
    return text + f" Metod: {check.method}."


# Inequality between districts (or between girls and boys) over time: services.inequality.gap_change.
GAP_CHANGE_WORD = {"narrowed": "Minskat", "widened": "Ökat", "reversed": "Bytt riktning",
                   "changed": "Förändrad över noll", "no_change": "Ingen säker förändring"}
GAP_CHANGE_CSS = {"narrowed": "better", "widened": "worse", "reversed": "higher", "changed": "higher",
                  "no_change": "similar"}
GAP_CHANGE_SYMBOL = {"narrowed": "↘", "widened": "↗", "reversed": "⇅", "changed": "⇅", "no_change": "●"}


def gap_change_css(change) -> str:
    return GAP_CHANGE_CSS.get(change.label, "no_test")


def gap_change_sentence(change, decimals: int, unit: str, subject: str, measure: str) -> str:
    """'Skillnaden mellan delområdena har minskat sedan 2019, säkert (SII 15,7 → 5,5 procentenheter, 2019–2025;
    z-test ur konfidensintervall, p = 0,012).' · 'Ingen säker förändring av skillnaden … sedan 2019 (…: −1,4
    procentenheter).' · '… kan inte prövas: …'. ``subject`` names the gap ("Skillnaden mellan delområdena"),
    ``measure`` the figure ("SII", "K − M")."""
    if change.label == "descriptive":
        return f"{subject} {_described(change, decimals, unit, measure)}."
    if change.label == "untested" or change.first is None:
        why = f": {change.reason}" if change.reason else ""
        return f"Om {subject.lower()} har förändrats kan inte prövas{why}."
    u = fmt.diff_unit(unit)
    u = f"{NBSP}{u}" if u else ""
    span = (f"{measure} {fmt.signed(change.first, decimals)} → {fmt.signed(change.last, decimals)}{u}, "
            f"{change.first_year}–{change.last_year}")
    test = change.test
    p = f"p = {fmt.number(test.p_value, 3)}" if test is not None and test.p_value is not None else ""
    method = f"; {test.method}, {p}" if test is not None else ""
    if change.label == "no_change":
        common = (f"; jämfört på de {change.districts} delområden som har värden båda åren"
                  if change.districts is not None else "")
        return (f"Ingen säker förändring av {subject[0].lower()}{subject[1:]} sedan {change.first_year} "
                f"({span}{method}{common}).")
    common = (f"; jämfört på de {change.districts} delområden som har värden båda åren"
              if change.districts is not None else "")
    if change.label == "changed":
        return (f"{subject} har förändrats sedan {change.first_year}, säkert, men gått över noll – om den blivit "
                f"större eller mindre prövas inte ({span}{method}{common}).")
    verb = {"narrowed": "minskat", "widened": "ökat", "reversed": "bytt riktning"}[change.label]
    return f"{subject} har {verb} sedan {change.first_year}, säkert ({span}{method}{common})."


def gap_change_cell(change, decimals: int = 1, unit: str = "") -> str:
    """Short form for a table: '↘ Minskat sedan 2019 (säkert)', 'Ingen säker förändring sedan 2017',
    '−10,2 procentenheter sedan 2019 (SII +15,7 → +5,5; registeruppgift – beskrivande, ej testad)',
    'ej testad: …'."""
    if change is None:
        return fmt.MISSING
    if change.label == "descriptive":
        amount = fmt.signed_unit(fmt.shown_diff(change.first, change.last, decimals), decimals, unit)
        return (f"{amount} sedan {change.first_year} (SII {fmt.signed(change.first, decimals)} → "
                f"{fmt.signed(change.last, decimals)}; {change.reason})")
    if change.label == "untested" or change.first is None:
        return f"{UNTESTED}: {change.reason}" if change.reason else UNTESTED
    if change.label == "no_change":
        return f"{GAP_CHANGE_SYMBOL['no_change']} Ingen säker förändring sedan {change.first_year}"
    return f"{GAP_CHANGE_SYMBOL[change.label]} {GAP_CHANGE_WORD[change.label]} sedan {change.first_year} (säkert)"


def sii_sentence(year: int, sii: float, low, high, decimals: int, unit: str, districts: int,
                 measure: str = "låg ekonomisk standard", note: str = UNTESTED) -> str:
    """'År 2025: enligt regressionslinjen 13,3 procentenheter högre i den minst utsatta änden än i den mest
    utsatta (delområdena rangordnade efter låg ekonomisk standard; lutningsindex SII; 95 % KI +6,0 till +20,5;
    31 delområden) – säker skillnad.' The SII is the difference between the line's two ends (relative rank 0
    and 1), not an average difference between districts. Without an interval (register data) ``note`` says
    why no verdict is given ('registeruppgift – beskrivande, ej testad')."""
    u = fmt.diff_unit(unit)
    amount = f"{fmt.number(abs(sii), decimals)}{NBSP + u if u else ''}"
    ci = ("" if low is None or high is None or _nan(low) or _nan(high)
          else f"; 95 % KI {fmt.signed(low, decimals)} till {fmt.signed(high, decimals)}")
    where = (f"(delområdena rangordnade efter {measure}; lutningsindex SII{ci}; {districts} delområden)")
    if fmt.number(abs(sii), decimals) == fmt.number(0, decimals):
        text = f"År {year}: regressionslinjen är i stort sett flat mellan den mest och den minst utsatta änden {where}"
    else:
        side = "högre" if sii > 0 else "lägre"
        text = (f"År {year}: enligt regressionslinjen {amount} {side} i den minst utsatta änden än i den mest "
                f"utsatta {where}")
    if not ci:
        return f"{text} ({note or UNTESTED})."
    sure = not (low <= 0 <= high)
    return f"{text} – {'säker skillnad' if sure else 'ingen säker skillnad'}."


def _described(change, decimals: int, unit: str, measure: str) -> str:
    """A change no test stands behind (register data): both values and their difference in the unit, the
    difference computed from the values as shown. '2019–2025: SII +15,7 → +5,5 procentenheter, en förändring
    med −10,2 procentenheter (registeruppgift – beskrivande, ej testad)'."""
    u = fmt.diff_unit(unit, fmt.signed(change.last, decimals))
    u = f"{NBSP}{u}" if u else ""
    diff = fmt.signed_unit(fmt.shown_diff(change.first, change.last, decimals), decimals, unit)
    common = (f"; jämfört på de {change.districts} delområden som har värden båda åren"
              if change.districts is not None else "")
    return (f"{change.first_year}–{change.last_year}: {measure} {fmt.signed(change.first, decimals)} → "
            f"{fmt.signed(change.last, decimals)}{u}, en förändring med {diff} ({change.reason}{common})")


def _nan(x) -> bool:
    return isinstance(x, float) and x != x
