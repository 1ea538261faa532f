"""The one wording policy for verdicts: every sentence or cell that judges a figure is written here.

A verdict word (förbättrad, försämrad, bättre, sämre, ökande, minskande, säker skillnad …) appears only
where a test at 95 % supports it (services.stats). Otherwise the difference is stated neutrally with its
unit (procentenheter for percentages) and marked "ej testad", with the reason where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

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


# The standing against the comparison (services.analysis.assess): tested words only where the value has a
# 95 % interval; a register figure for the whole population is higher or lower, with its size, never "säkert".
STANDING_HEAD = {
    "better": "Säkert bättre än {c}", "worse": "Säkert sämre än {c}", "similar": "Ingen säker skillnad mot {c}",
    "higher": "Säkert högre än {c}", "lower": "Säkert lägre än {c}",
    "above": "Högre än {c}", "below": "Lägre än {c}", "equal": "Samma som {c}",
}
STANDING_CSS = {"better": "better", "worse": "worse", "similar": "similar", "higher": "higher", "lower": "lower",
                "above": "plain", "below": "plain", "equal": "plain"}
# The one phrasing for "no answer"; the reason is one click away.
NO_COMPARISON = "Ingen jämförelse"
BASIS_NOTE = {"register": "registeruppgift, hela befolkningen", "untested": "ej testad: osäkerhetsmått saknas",
              "tested": "", "register_rate": "registeruppgift"}
# A register's crude rate with the Poisson interval of its count: the difference as it is, and whether it is
# larger than chance variation in the count explains (never "säkert", the word of the sample surveys).
RATE_BEYOND = "registeruppgift; större skillnad än slumpen förklarar"
RATE_WITHIN = "registeruppgift; inom slumpens variation"
BASIS_HOW = {
    "tested": ("Testat: värdets 95 % konfidensintervall jämförs med jämförelsens värde (som Fingertips jämför "
               "med England). Ligger jämförelsen utanför intervallet är skillnaden säker."),
    "register": ("Registeruppgift för hela befolkningen: det finns ingen urvalsosäkerhet, så skillnaden "
                 "redovisas som den är. Den prövas inte och kallas därför inte säker eller osäker; små tal "
                 "kan ändå variera mycket mellan år."),
    "untested": ("Värdet publiceras utan antal svarande eller konfidensintervall, så skillnaden kan inte "
                 "prövas. Den redovisas med sin storlek."),
    "register_rate": ("Registeruppgift: ett tal per 100 000 invånare räknat på hela befolkningen. Antalet "
                      "(talet × folkmängden ÷ 100 000) ses, som i Fingertips, som ett utfall av en slumpmässig "
                      "process: det 95 % konfidensintervallet (exakt Poisson) visar hur mycket talet kunde ha "
                      "varierat av en slump. Ligger jämförelsens värde utanför intervallet är skillnaden större "
                      "än slumpen förklarar. Brott som anmäls i serier gör variationen större än så; se skillnaden "
                      "som en fingervisning."),
}
QUARTILE_POLAR = {1: "bästa fjärdedelen", 2: "näst bästa fjärdedelen", 3: "näst sämsta fjärdedelen",
                  4: "sämsta fjärdedelen"}
QUARTILE_NEUTRAL = {1: "fjärdedelen med högst värden", 2: "näst högsta fjärdedelen", 3: "näst lägsta fjärdedelen",
                    4: "fjärdedelen med lägst värden"}


@dataclass(frozen=True)
class StandingWords:
    """A standing in words: the plain answer (``head``), its colour class, the small lines under it (the
    comparison's value, what the figure is, the place among the municipalities) and how we know it
    (``how``: methods and reasons, one click away)."""

    head: str
    css: str
    lines: tuple[str, ...]
    how: str
    rank: str = ""
    rank_css: str = ""


def rank_text(rank) -> str:
    """'Plats 32 av 287 kommuner (bästa fjärdedelen)'."""
    words = (QUARTILE_NEUTRAL if rank.polarity == "neutral" else QUARTILE_POLAR)[rank.quartile]
    return f"Plats {rank.position} av {rank.of} kommuner ({words})"


def rank_css(rank) -> str:
    if rank is None or rank.polarity == "neutral":
        return "similar"
    return {1: "better", 4: "worse"}.get(rank.quartile, "similar")


def rank_how(rank) -> str:
    first = "högst värde" if rank.polarity == "neutral" else "bäst värde (efter indikatorns riktning)"
    return (f"Placeringen räknas bland de {rank.of} kommuner som har ett publicerat värde för {rank.year}; plats 1 "
            f"har {first}, lika värden delar plats. Fjärdedelarna är de som Kolada färgar kommunerna efter. "
            "Placeringen beskriver läget och prövas inte.")


def _with_p(how: str, p_value) -> str:
    return how + (f" p = {fmt.number(p_value, 3)}." if p_value is not None and not _nan(p_value) else "")


def rate_how(rate, decimals: int, unit: str) -> str:
    """What a register rate's interval was worked out from: 'Beräknat på omkring 1 234 fall bland 64 321
    invånare 2025 (Invånare totalt, antal); 95 % intervall 1 850–2 050 antal/100 000 inv.'"""
    pop = f" ({rate.population_name})" if rate.population_name else ""
    when = f" {int(rate.year)}" if rate.year is not None else ""
    return (f" Beräknat på omkring {fmt.number(rate.count, 0)} fall bland {fmt.number(rate.population, 0)} "
            f"invånare{when}{pop}; 95 % intervall {fmt.number(rate.low, decimals)}–"
            f"{fmt.with_unit(rate.high, decimals, unit)}.")


def standing_words(standing: str, value, bench, decimals: int, unit: str, name: str, basis: str = "tested",
                   rank=None, year=None, p_value=None, rate=None) -> StandingWords:
    """The standing against the comparison ``name`` ('Riket', 'länet', 'gruppen', 'kommunen'):
    'Säkert bättre än Riket (+3,2 procentenheter)' · 'Högre än Riket: +16,3 procentenheter' with
    'registeruppgift, hela befolkningen' · 'Ingen jämförelse' with the reason in ``how``. ``rate``: a register
    rate's count, population and interval (services.indicators.RateInterval), named in ``how``."""
    r_text, r_css = (rank_text(rank), rank_css(rank)) if rank is not None else ("", "")
    r_how = f" {rank_how(rank)}" if rank is not None else ""
    if standing == "not_comparable":
        return StandingWords(NO_COMPARISON, "no_data", (), "Ett antal beror på områdets storlek och jämförs "
                             "därför inte med andra områden; jämför i stället en andel eller ett tal per invånare.")
    if standing not in STANDING_HEAD or value is None or bench is None or _nan(value) or _nan(bench):
        if value is None or _nan(value):
            why = "Det finns inget värde att jämföra."
        else:
            when = f" för {int(year)}" if year is not None and not _nan(year) else ""
            why = f"Det finns ingen siffra för {name}{when} att jämföra med."
        return StandingWords(NO_COMPARISON, "no_data", (), why + r_how, r_text, r_css)
    diff = fmt.signed_unit(fmt.shown_diff(bench, value, decimals), decimals, unit)
    if basis == "register_rate" and standing in ("better", "worse", "similar", "higher", "lower"):
        shown = fmt.shown_diff(bench, value, decimals)
        plain = "above" if shown > 0 else "below" if shown < 0 else "equal"
        head = STANDING_HEAD[plain].format(c=name) + (f": {diff}" if plain != "equal" else "")
        lines = (f"{name} {fmt.with_unit(bench, decimals, unit)}",
                 RATE_WITHIN if standing == "similar" else RATE_BEYOND)
        how = _with_p(BASIS_HOW["register_rate"] + (rate_how(rate, decimals, unit) if rate is not None else ""),
                      p_value)
        css = "plain" if standing == "similar" else STANDING_CSS[standing]
        return StandingWords(head, css, lines, how + r_how, r_text, r_css)
    if basis == "register_rate":
        basis = "register"
    head = STANDING_HEAD[standing].format(c=name)
    head += f": {diff}" if standing in ("above", "below") else f" ({diff})" if standing != "equal" else ""
    lines = [f"{name} {fmt.with_unit(bench, decimals, unit)}"]
    basis = basis if basis in BASIS_HOW else "tested"
    if standing in ("above", "below", "equal") and basis == "tested":
        basis = "untested"
    if BASIS_NOTE[basis]:
        lines.append(BASIS_NOTE[basis])
    how = _with_p(BASIS_HOW[basis], p_value if basis == "tested" else None)
    return StandingWords(head, STANDING_CSS[standing], tuple(lines), how + r_how, r_text, r_css)


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
    """In plain Swedish, without the method (that is ``trend_how``, one click away): 'Ökande – bättre: +3,2
    procentenheter (2020–2024)' · 'Ingen säker trend (+1,0 procentenheter 2020–2024)' · 'Ej testbar: färre än
    fem mätningar'. With ``decimals`` the size of the change over the tested points is stated (always for
    register data, where it is what the reader needs)."""
    if tr.direction == "not_testable":
        return f"Ej testbar: {tr.reason}"
    span = f"{tr.first_year}–{tr.last_year}"
    size = ""
    if decimals is not None and tr.change is not None:
        size = f"{fmt.signed_unit(tr.change, decimals, unit)} "
    if tr.direction == "no_trend":
        why = f"; {tr.reason}" if tr.reason == ADJUSTED else ""
        return f"Ingen säker trend ({size}{span}{why})"
    word = "Ökande" if tr.direction == "increasing" else "Minskande"
    if polarity != "neutral":
        good = (tr.direction == "increasing") == (polarity == "higher_better")
        word += " – bättre" if good else " – sämre"
    if size:
        return f"{word}: {size}({span})"
    return f"{word} ({span})"


def trend_how(tr: TrendTest) -> str:
    """How the trend was judged: the points, the method and its p-value, the reason (the popover's text)."""
    if tr.direction == "not_testable":
        return (f"En trend prövas på de senaste fem jämförbara, oberoende mätningarna; här går det inte: "
                f"{tr.reason}.")
    kind = " (registeruppgift: bara värdena, inget urvalsfel)" if tr.register and tr.basis == "mk" else ""
    p = f", p = {fmt.number(tr.p_value, 3)}" if tr.p_value is not None else ""
    why = f" {tr.reason[0].upper()}{tr.reason[1:]}." if tr.reason else ""
    return (f"Prövat på {tr.points} mätningar {tr.first_year}–{tr.last_year} med {tr.method}{kind}{p}. "
            f"Ökande eller minskande sägs bara när testet är säkert på 95 % nivå.{why}")


def change_how(c: Change) -> str:
    """How a change was judged (the popover's text): the method and its p-value, or why it was not tested."""
    if c.test is None:
        return ""
    if not c.tested:
        return f"Inte prövad: {c.test.reason}." if c.test.reason else "Inte prövad."
    p = f", p = {fmt.number(c.test.p_value, 3)}" if c.test.p_value is not None else ""
    why = f" {c.test.reason[0].upper()}{c.test.reason[1:]}." if c.test.reason else ""
    return f"Prövat med {c.test.method}{p}: förändringen kallas säker när testet är säkert på 95 % nivå.{why}"


def gap_how(g: Gap) -> str:
    if g.test is None:
        return ""
    if g.test.significant is None:
        return f"Inte prövad: {g.test.reason}." if g.test.reason else "Inte prövad."
    p = f", p = {fmt.number(g.test.p_value, 3)}" if g.test.p_value is not None else ""
    return f"Prövat med {g.test.method}{p}."


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
    method = ""  # the method and its p-value: gap_change_how, one click away
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


def gap_change_how(change) -> str:
    """How a change of a gap was judged (the popover's text)."""
    if change is None or change.label in ("descriptive", "untested") or change.test is None:
        return f"Inte prövad: {change.reason}." if change is not None and change.reason else ""
    test = change.test
    p = f", p = {fmt.number(test.p_value, 3)}" if test.p_value is not None else ""
    return (f"Första och senaste jämförbara år ställs mot varandra med {test.method}{p}; minskat eller ökat "
            "sägs bara när testet är säkert på 95 % nivå.")


def gap_change_cell(change, decimals: int = 1, unit: str = "") -> str:
    """Short form for a table: '↘ Minskat sedan 2019 (säkert)', 'Ingen säker förändring sedan 2017',
    '−10,2 procentenheter sedan 2019 (SII +15,7 → +5,5; registeruppgift – beskrivande, ej testad)',
    'ej testad: …'."""
    if change is None:
        return fmt.MISSING
    if change.label == "descriptive":
        amount = fmt.signed_unit(fmt.shown_diff(change.first, change.last, decimals), decimals, unit)
        return f"{amount} sedan {change.first_year} ({change.reason})"
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
    where = (f"(delområdena rangordnade efter {measure}{ci}; {districts} delområden)")
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
