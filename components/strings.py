"""Every user-facing string of the app, in one place (Swedish). English is a later extra: add a dict."""

from __future__ import annotations

SV: dict[str, str] = {
    "app_title": "Social hållbarhet – uppföljning",
    "page_overview": "Översikt",
    "page_district": "Trygghet per delområde",
    "page_risk": "Risk- och skyddsfaktorer",
    "page_compare": "Jämför kommuner",
    "page_data": "Data och definitioner",
    "nav_start": "Start",
    "nav_analysis": "Analys",
    "demo_banner": (
        "**Demodata.** Värdena i den här databasen är syntetiska och gjorda för att visa verktyget – "
        "de är inte officiell statistik. {boundaries}"
    ),
    "disclosure_rules": """\
**Röjandeskydd.** Enkätsvar från små grupper är personuppgifter. Innan något skrivs till databasen
tillämpas samma regler på varje källa med svarande (lokala enkäter, demodata):

- **Primär regel:** en cell med färre svarande än indikatorns tröskel (oftast {threshold}) visas som `..`.
- **Skydd mot bakräkning:** en dold cell får inte kunna räknas fram ur andra publicerade celler. Tabellen har
  två dimensioner: områden (riket → län → kommun → RegSO/egna delområden → DeSO) och kön (totalt =
  flickor/kvinnor + pojkar/män). Inom varje sådan uppdelning är antingen ingen del dold, eller minst två,
  och de dolda delarna tillsammans (kommunen minus de publicerade delarna, på alla nivåer) har minst
  tröskelns antal svarande. Döljs totalen döljs också minst ett av könen. Den publicerade cell som har
  minst svarande döljs i första hand, så att så lite som möjligt går förlorat.
- **Alla eller ingen svarade ja (0 % och 100 %):** en andel visar hur många som svarade ja. Står en
  publicerad cell på 0 % eller 100 %, har alla i den svarat likadant – också de i en dold del under den
  (flickorna i ett delområde, ett dolt delområde i kommunen). Detsamma gäller en grupp dolda celler som
  går att räkna fram (kommunen minus de publicerade delarna): har ingen eller alla i gruppen svarat ja, är
  varje dold cells värde känt. En sådan cell eller grupp skyddas därför som en liten cell: den publicerade
  cellen på 0 %/100 % döljs själv, annars ytterligare en del. För känsliga frågor kan indikatorn kräva att
  minst ett visst antal har svarat ja och minst lika många nej.
- **En cell som har varit dold i en tidigare version förblir dold.** Kommer en rättad leverans för ett år
  som redan är publicerat (t.ex. några sena enkäter), får den inte visa det som var dolt: annars räknar
  man fram den gamla dolda cellen som den gamla totalen minus en del som visas nu. Av samma skäl döljs en
  cell vars antal svarande ändras med färre än tröskeln mellan versionerna (skillnaden vore de sena
  svarandes svar), och ändringshistoriken (”Nytt sedan …”) sparar inget gammalt värde som tillsammans med
  det som visas nu skulle avslöja en dold cell.
- **Dolda celler publicerar ingenting:** inget värde, inget konfidensintervall och inget antal svarande,
  varken på sidorna, i verktygstips eller i nedladdningar. `..` betyder "färre än {threshold} svarande,
  eller dold för att skydda en sådan cell"; vilket av de två sägs inte, eftersom även det avslöjar något.
- **Kontroll vid varje körning:** när en databas byggs eller en enkät importeras prövar en separat kontroll
  (oberoende av koden som döljer) alla sätt att räkna tillbaka: kön, ett delområde, flera dolda delområden
  tillsammans och DeSO inom RegSO, även i kombination, grupper där alla eller ingen svarat ja, och den
  tidigare versionen och ändringshistoriken tillsammans med den nya. Hittar den något publiceras ingenting
  och körningen säger vilken cell det gäller.

**SCB:s delområdesstatistik** (DeSO/RegSO från 2025) har slumpmässigt brus (SCB:s röjandeskyddsmetod
Cell Key), så delarna summerar inte alltid till helheten. Verktyget räknar därför aldrig fram en RegSO
eller en kommun ur DeSO-värden, eller ett delområde ur en total: det visar SCB:s egna värden för varje
nivå. Kolada markerar värden som skyddats av källan; de visas också som `..`.

Metod: SCB, *Röjandekontroll av tabeller* (sekundär undertryckning i länkade tabeller), Eurostats
*Handbook on Statistical Disclosure Control* (ESS; känsliga celler utöver små: dominans- och p %-regler
och gruppröjande, när alla i en grupp har samma svar, 0 %/100 %) och OHID:s tekniska vägledning för
Fingertips om små tal.
""",
    "methods": """\
**Så bedömer vi förändringar.** Ord som *förbättrad*, *försämrad*, *bättre*, *sämre*, *ökande*,
*minskande* och *säker skillnad* används bara där ett statistiskt test på 95 % nivå stöder dem. Annars
visas skillnaden med sin enhet – **procentenheter** för andelar i procent, annars indikatorns enhet – och
orden *ej testad*, med skälet (oftast att registeruppgifter saknar både antal svarande och
konfidensintervall).

| Fråga | Test | Referens |
|---|---|---|
| Har andelen förändrats sedan basåret? Skiljer sig flickor och pojkar? | Newcombes intervall för skillnaden mellan två andelar (med antal svarande); skillnaden är säker när intervallet inte omfattar 0 | Newcombe 1998 (metod 10); statsmodels |
| Samma fråga när bara konfidensintervall finns | z-test med standardfel ur intervallens bredd | Altman & Bland, BMJ 2003;326:219; scipy |
| Bättre eller sämre än jämförelsen (riket, länet, gruppens medel)? | Värdets 95 %-konfidensintervall mot jämförelsens värde: *säkert bättre/sämre* eller *ingen säker skillnad*. Registeruppgifter för hela befolkningen har inget urvalsfel: där står *högre* eller *lägre än* jämförelsen med skillnadens storlek och ”registeruppgift, hela befolkningen”, aldrig *säkert*; ett värde utan osäkerhetsmått från en urvalsundersökning står på samma sätt med ”ej testad”. Saknas en jämförelsesiffra (lokal enkät) eller är värdet ett antal står *Ingen jämförelse*, med skälet ett klick bort | OHID Fingertips, "compared with benchmark"; SCB om totalundersökningar |
| Var ligger kommunen bland alla kommuner? | Plats bland de kommuner som har ett publicerat värde samma år (plats 1 = bäst efter indikatorns riktning; lika värden delar plats) och kvartil: bästa, näst bästa, näst sämsta eller sämsta fjärdedelen, som Kolada färgar kommunerna. Visas bara när minst hälften av landets kommuner har ett värde; beskriver läget och prövas inte | Kolada (RKA), kvartilsindelning; OHID Fingertips "spine chart" |
| Finns en trend? | De senaste fem jämförbara, oberoende mätningarna (inget seriebrott emellan). Glidande medelvärden (t.ex. Koladas fyraårsmedel ur Hälsa på lika villkor) bygger delvis på samma års enkäter: bara värden som inte överlappar används, annars *Ej testbar*. Samma värde flera år i rad (roterande enkäter) räknas en gång. Andelar med antal svarande: chi2-test för trend (Cochran–Armitage), med det effektiva antalet svarande där intervallet bär en designeffekt. Värden med konfidensintervall: viktad linjär regression på standardfelen, lutningen z-testad. Registeruppgifter (hela befolkningen, inget urvalsfel): Mann–Kendall med exakt p-värde (Kendall), alltid med förändringens storlek | OHID Fingertips "recent trend"; Agresti 2002 §3.4.6; Borenstein m.fl. 2009 kap. 20 (fast-effekt-metaregression); pymannkendall; statsmodels WLS |
| Viktade enkäter | Där en enkäts intervall är bredare än antalet svarande ger (designeffekt) används det effektiva antalet svarande, p(1 − p)/SE², i alla test av andelar | Kish 1965, *Survey Sampling*; SCB:s riktlinjer för urvalsundersökningar |
| Håller testen vad de lovar? | Simulering: tusentals serier av varje slag (register, även autokorrelerade; enkäter med svarande, med designeffekt, med intervall; glidande medelvärden; samma värde två år) utan någon verklig trend. Trend- och riktningsmål ger utslag i högst omkring 5 % av dem (prövas automatiskt varje gång verktyget ändras) | — |
| Många test på samma sida | Översikten gör ett åttiotal test; vid 95 % i varje skulle omkring vart tjugonde ge utslag av en slump. Testen i varje kolumn (förändring, trend, flickor/pojkar, jämförelse, delområden) vägs därför samman med Benjamini–Hochberg: en markering står kvar bara om högst 5 % av kolumnens markeringar väntas vara falska. En indikators egen vy prövar den ensam | Benjamini & Hochberg, JRSS B 1995;57:289; statsmodels multipletests |
| Konfidensintervall för andelar | Wilson | Wilson 1927; OHID Fingertips |
| Konfidensintervall för tal per 100 000 (när antal och befolkning finns) | Exakt Poisson (Garwood). För registrens brott per 100 000 invånare räknas antalet ur talet och folkmängden (Koladas Invånare totalt); intervallet används i jämförelsen med Riket, som Fingertips gör, och där står *högre/lägre än* Riket med ”större skillnad än slumpen förklarar” eller ”inom slumpens variation”, aldrig *säkert*. Trenden prövas ändå med Mann–Kendall, eftersom anmälda brott varierar mer mellan år än slumpen i ett antal | OHID Fingertips (Byar); Garwood 1936; statsmodels |
| Är skillnaden mellan delområdena stor? | Lutningsindex (SII) och relativt index (RII): delområdena ordnas efter andelen invånare med låg ekonomisk standard (SCB), mest utsatta först; varje delområdes relativa rang är mittpunkten av dess kumulativa befolkningsandel; värdet regresseras på rangen med folkmängden som vikt. SII = skattat värde i den minst utsatta änden minus i den mest utsatta (procentenheter för andelar), RII = kvoten mellan dem. 95 %-intervall genom simulering (100 000 dragningar ur varje delområdes intervall). Registerdata har inget urvalsfel och simuleringen kräver varje delområdes medelfel: där visas SII och dess förändring med sin enhet, beskrivande, utan intervall och utan ordet säker (”registeruppgift – beskrivande, ej testad”). Minst fem delområden med publicerade värden; dolda delområden ingår inte | OHID Fingertips, technical guidance "Slope index of inequality"; PHEindicatormethods `phe_sii` (samma testvärden återskapas); Low & Low, JECH 2004;58:614; statsmodels WLS |
| Minskar skillnaden (mellan delområdena, eller mellan flickor och pojkar)? | Första och senaste jämförbara år (inget seriebrott emellan) ställs mot varandra med z-test ur de två intervallen; *minskat* eller *ökat* bara när testet säger det, annars *ingen säker förändring* med skillnaden i sin enhet | Altman & Bland, BMJ 2003;326:219; scipy |
| Når vi strategins mål? | Samma mätningar som trenden. *Riktningsmål* (öka/minska) bedöms med trendtestet: *På väg mot målet* vid säker trend åt rätt håll, *Inte på väg* vid säker trend åt fel håll, annars *Ej bedömbart*. *Mål med värde och år*: en rät linje genom mätningarna (viktad med standardfelen där intervall finns, annars minsta kvadrat; för registeruppgifter breddad om avvikelserna från linjen hänger ihop år från år) ger ett 95 % **prognosintervall** för värdet målåret – linjens osäkerhet plus ett års egen variation. *Målet nått*: målet nås redan (hela senaste värdets intervall på rätt sida) och prognosen håller till målåret. *Nått nu, men trenden pekar under (över) målet*: målet nås i dag men hela prognosintervallet ligger på fel sida. *Nått nu – osäkert om det håller till målåret*. *På väg mot målet* / *Inte på väg mot målet*: hela prognosintervallet på rätt / fel sida. *Ej bedömbart* när intervallet omfattar målvärdet. När målåret har passerats avgör värdet för målåret (*Målet nått* / *Målet inte nått*). Andelar hålls inom 0–100 %. Bedömningen förutsätter att trenden fortsätter | Eurostat, *Sustainable development in the European Union – monitoring report*, metodbilaga (avstånd till mål i förhållande till målåret); Kirkwood & Sterne, *Essential Medical Statistics*, §11.4 (prognosintervall); Santer m.fl. 2000, J Geophys Res 105:7337 (autokorrelation); statsmodels OLS/WLS |

**Metodernas namn.** Bakom *Hur vet vi det?* vid en bedömning står metodens namn. Så här läses de:

| Namn i verktyget | Vad det betyder | Källa |
|---|---|---|
| chi2-test för trend | Trendtest för andelar när antalet svarande är känt varje år (Cochran–Armitage): ändras andelen stadigt åt ett håll? | Agresti 2002, *Categorical Data Analysis* §3.4.6 |
| Mann–Kendall | Trendtest för registeruppgifter utan urvalsfel: ökar eller minskar värdena oftare än slumpen ger, år för år? Exakt p-värde | Mann 1945; Kendall 1938/1975; pymannkendall |
| viktad linjär regression (WLS) | Trendtest för värden med konfidensintervall: en rät linje där säkra mätningar väger mer; lutningen prövas med z-test | Borenstein m.fl. 2009, *Introduction to Meta-Analysis* kap. 20; statsmodels |
| Newcombe | Konfidensintervall för skillnaden mellan två andelar (t.ex. basår och senaste år, flickor och pojkar) | Newcombe 1998, Stat Med 17:873 (metod 10) |
| z-test ur konfidensintervall | Skillnaden mellan två värden som bara har konfidensintervall; standardfelet räknas ur intervallens bredd | Altman & Bland, BMJ 2003;326:219 |
| Wilson | Konfidensintervall för en andel ur antal svarande | Wilson 1927, JASA 22:209 |
| exakt Poisson (Garwood) | Konfidensintervall för ett tal per 100 000 invånare ur antal och folkmängd | Garwood 1936; OHID Fingertips |
| jämfört med jämförelsen | Värdets 95 %-konfidensintervall ställs mot jämförelsens värde: bättre eller sämre bara om hela intervallet ligger på ena sidan | OHID Fingertips, "compared with benchmark" |
| Benjamini–Hochberg | Korrigering när många test görs på samma sida, så att högst 5 % av markeringarna väntas vara falska | Benjamini & Hochberg, JRSS B 1995;57:289 |
| designeffekt (Kish) | Viktade enkäter räknas med det effektiva antalet svarande, p(1 − p)/SE² | Kish 1965, *Survey Sampling* |
| SII / RII (phe_sii) | Lutningsindex och relativt index för skillnaden mellan delområdena, ordnade efter låg ekonomisk standard | OHID Fingertips; PHEindicatormethods `phe_sii`; Low & Low, JECH 2004;58:614 |
| simulering (100 000 dragningar) | SII:s konfidensintervall: värdena dras många gånger ur varje delområdes intervall | OHID Fingertips, technical guidance |
| prognosintervall | Var värdet väntas ligga målåret om trenden håller i sig: linjens osäkerhet plus ett års egen variation | Kirkwood & Sterne, *Essential Medical Statistics* §11.4; Santer m.fl. 2000 |
| registeruppgift, beskrivande | Uppgiften gäller hela befolkningen och har inget urvalsfel; skillnaden visas med sin storlek, utan testord | SCB; Kolada |

Nytt sedan …: varje gång databasen byggs om eller något läses in jämförs den nya versionen cell för cell med den den ersätter. En uppgift är *ny* (ett nytt år, en lucka som fyllts), *reviderad* (ett annat värde med indikatorns antal decimaler; det tidigare och det nya värdet sparas) eller *visas inte längre* (publicerad då, dold eller saknad nu; inget värde sparas). En uppgift som är dold nu har inget värde kvar i historiken, och röjandekontrollen stoppar en databas där den har det.

Skillnader mellan delområden: rangordningen bygger på senaste årets andel med låg ekonomisk standard och gäller
alla år. Har RegSO inga egna värden i databasen ordnas de efter sina DeSO-områdens befolkningsvägda medelvärde – det
används bara för ordningen, aldrig som ett RegSO-värde. Från referensår 2025 lägger SCB till ett slumpmässigt brus i
statistiken per område (Cell Key Method), så delar summerar inte exakt till helheten; det påverkar vikter och
rangordning något. I demodatabasen är rangordning och folkmängd för genererade delområden demodata.

Förändring räknas från strategins basår, eller närmast tidigare mätning om basåret saknas, på hela serien
oavsett vilka år som valts i filtret – samma regel i översikten, på fokusområdessidorna och på riskfaktorsidan.
Färre än fem jämförbara mätningar ger "Ej testbar" för trenden. En förändring mellan två glidande medelvärden som
delvis bygger på samma år testas inte. Tal avrundas som i officiell statistik:
halva uppåt från noll (58,5 → 59).
""",
    "demo_boundaries_real": "Gränser för kommuner och delområden är verkliga.",
    "demo_boundaries_generated": "Kommungränserna är verkliga; delområdena är genererade demoområden.",
    "filter_header": "Urval",
    "filter_municipality": "Kommun (strategi)",
    "filter_comparison": "Jämför med",
    "filter_comparison_list": "Välj kommuner att jämföra med",
    "filter_district": "Delområde",
    "filter_district_all": "Hela kommunen",
    "filter_years": "År",
    "filter_gender": "Kön i översikter",
    "gender_T": "Totalt",
    "gender_K": "Kvinnor/flickor",
    "gender_M": "Män/pojkar",
    "gender_K_flickor_pojkar": "Flickor",
    "gender_M_flickor_pojkar": "Pojkar",
    "gender_K_kvinnor_man": "Kvinnor",
    "gender_M_kvinnor_man": "Män",
    "comparison_riket": "Riket",
    "comparison_county": "Länet ({name})",
    "comparison_group": "Jämförelsegrupp: {title}",
    "comparison_list": "Egen lista av kommuner",
    "comparison_group_demo_note": "Gruppens sammansättning är påhittad för demon (inte Koladas).",
    "page_not_found": "Sidan `{page}` finns inte i {current}s strategi; här visas översikten. Välj en sida i menyn.",
    "page_other_strategy": ("Sidan `{page}` hör till {owner}s strategi. Välj {owner} under ”Kommun (strategi)” i "
                            "sidopanelen för att öppna den; här visas översikten för {current}."),
    "bad_param": "Länken innehöll ett okänt värde för {key} (`{value}`); visar standardvalet i stället.",
    "store_error_title": "Indikatordatabasen kan inte användas",
    "series_break": "Seriebrott {year}: {text}",
    "suppressed_legend": "`..` = undertryckt: för få svarande för att visa (under {threshold}), eller dolt så att ett undertryckt värde inte kan räknas fram. `–` = uppgift saknas.",
    # "Hur vet vi det?" (components/how.py): the method behind a plain answer
    "how_title": "Hur vet vi det?",
    "how_data_page": "Alla metoder och deras källor står på sidan Data och definitioner.",
    # Shared labels
    "label_indicator": "Indikator",
    "label_year": "År",
    "label_gender": "Kön",
    "col_rank": "Placering",
    "col_municipality": "Kommun",
    "col_district": "Delområde",
    "col_value": "Värde ({unit})",
    "col_role": "Roll",
    "col_source": "Källa",
    "col_ci": "95 % KI",
    "col_respondents": "Antal svarande",
    "role_selected": "vald kommun",
    "role_comparison": "jämförelse",
    "role_other": "övrig",
    # Översikt
    "overview_title": "Översikt – {municipality}",
    "overview_intro": "**{title}**{period}. Basår för förändring: **{baseline}**. Jämförelse: **{comparison}**.",
    "overview_district": ("Delområde: **{name}** – indikatorer som finns per delområde visas för delområdet och "
                          "jämförs med hela kommunen; övriga visas för hela kommunen."),
    # Översikt with a district chosen (issue #30: the district's own figures beside the municipality's)
    "overview_district_count": ("Delområde: **{name}**. {n} av {total} indikatorer finns per delområde: de visas "
                                "för delområdet med hela kommunens värde bredvid och jämförs med det. Övriga "
                                "{rest} finns bara för hela kommunen och visas för den."),
    "overview_district_none": ("Delområde: **{name}**. Ingen av strategins {total} indikatorer finns per "
                               "delområde; tabellerna visar hela kommunen."),
    "facts_heading": "Fakta om {name}",
    "facts_caption": ("Registeruppgifter per delområde från SCB, med hela kommunens värde bredvid. Källa: "
                      "{sources}."),
    "facts_demo": ("Delområdena och deras värden är genererade demodata, inte SCB:s statistik – visar bara hur "
                   "rutan ser ut."),
    "facts_col_fact": "Uppgift",
    "facts_col_district": "{name}",
    "facts_col_municipality": "Hela {municipality}",
    "facts_col_year": "År",
    "facts_col_source": "Källa (kommunens värde)",
    "facts_hidden": "dold (för få invånare)",
    "facts_per_deso": ("Där SCB bara redovisar en uppgift per DeSO visas delområdets DeSO-områden var för sig; "
                       "de läggs inte ihop till ett värde för delområdet."),
    "facts_none": "Databasen har inga SCB-uppgifter för {name}.",
    "ov_district_value": "{name}: {value} ({year})",
    "ov_municipality_value": "Hela kommunen: {value} ({year})",
    "ov_also_under": "Samma indikator som under mål {code} ovan – visas en gång.",
    "overview_legend": (
        "Säkert bättre/sämre, förbättrad/försämrad och ökande/minskande står bara där ett test på 95 % stöder "
        "det (enkäter med antal svarande eller konfidensintervall): ▲ bättre, ▼ sämre, ● ingen säker skillnad. "
        "Registeruppgifter för hela befolkningen jämförs som de är: högre eller lägre än jämförelsen, med "
        "skillnadens storlek och kommunens plats bland alla kommuner; för brott per 100 000 invånare står också "
        "om skillnaden är större än slumpen i antalet förklarar. Trend: de senaste fem jämförbara, "
        "oberoende mätningarna. Klicka på en markering för att se hur vi vet det. Ett år inom parentes vid "
        "flickor/pojkar betyder att värdet är från ett annat år än totalen. `..` = undertryckt, `–` = saknas."),
    "overview_empty": "Strategin har inga indikatorer i databasen.",
    "overview_many_tests": (
        "**Många test på en sida.** Översikten gör {tests} test. Om ingenting hade förändrats skulle omkring "
        "{chance} av dem ändå ge utslag av en slump. Därför står en markering ”säker” bara kvar om den håller "
        "när kolumnens test vägs samman: {alone} skulle vara säkra var för sig, {kept} står kvar här. En "
        "indikators egen vy prövar den ensam och kan därför visa fler."),
    "overview_many_tests_how": (
        "Testen i varje kolumn vägs samman med Benjamini–Hochbergs metod (falsk upptäcktsandel): en markering "
        "står kvar bara om högst 5 % av kolumnens markeringar väntas vara falska. Metoden finns i statsmodels "
        "och beskrivs på sidan Data och definitioner."),
    "overview_table_caption": "{label} {code}: {n} indikatorer",
    # Focus-area page
    "focus_pick": "Välj ett område i menyn till vänster.",
    "focus_district": ("Delområde valt: **{name}**. Indikatorer som finns per delområde visas för delområdet och "
                       "jämförs med hela kommunen (markerade i tabellerna); övriga gäller hela kommunen."),
    "focus_agenda2030": "**Agenda 2030:** {goals}",
    "focus_goals_heading": "Mål och indikatorer",
    "focus_goal": "Mål {code}. {title}",
    "focus_goal_caption": "Indikatorer för mål {code}",
    "focus_detail_heading": "Indikator i detalj",
    "focus_actions_heading": "Åtgärder",
    # Trygghet per delområde
    "ineq_title": "Skillnader mellan delområdena",
    "ineq_none": "Skillnaden mellan delområdena kan inte beräknas: {reason}.",
    "ineq_too_few": ("Skillnaden mellan delområdena beräknas bara för år med minst {n} delområden med publicerade "
                     "värden; inget år har det."),
    "ineq_subject_districts": "Skillnaden mellan delområdena",
    "ineq_chart_alt": ("Linjediagram: lutningsindex (SII) för {title} per år, med 95 % konfidensintervall där "
                       "delområdena har urvalsfel (inte för registeruppgifter). Värdena finns i tabellen under "
                       "diagrammen."),
    "ineq_gradient_heading": "**Delområdena {year}, rangordnade efter {measure}** – "
                             "cirkelns storlek är folkmängden, den streckade linjen är regressionen vars lutning är SII.",
    "ineq_gradient_alt": ("Punktdiagram: {title} {year} per delområde mot delområdets relativa rang, med "
                          "regressionslinje."),
    "ineq_ranked_by": "Delområdena rangordnas efter {measure} {year} (samma ordning för alla år).",
    "ineq_reversed_measure": "Högre är bättre för det måttet: delområdet med lägst värde räknas som mest utsatt.",
    "ineq_measure": "Rangordna delområdena efter",
    "ineq_measure_help": ("Måttet som avgör vilka delområden som räknas som mest och minst utsatta. Standard är "
                          "andelen invånare med låg ekonomisk standard (SCB), som i Fingertips' "
                          "deprivationsdeciler."),
    "ineq_from_deso": ("RegSO har inget eget värde i databasen: de ordnas efter sina DeSO-områdens befolkningsvägda "
                       "medelvärde (används bara för ordningen och visas inte som ett RegSO-värde)."),
    "ineq_weights": "Varje delområde väger med sin folkmängd {year}.",
    "ineq_equal_weights": "Folkmängd per delområde saknas: alla delområden väger lika.",
    "ineq_noise": ("SCB lägger från referensår 2025 till ett slumpmässigt brus i statistiken per område (Cell Key "
                   "Method): delarna summerar inte exakt till helheten, och små skillnader i rangordning och vikter "
                   "kan bero på bruset."),
    "ineq_demo_ranking": "Rangordningen och folkmängden är DEMODATA för genererade delområden, inte SCB:s statistik.",
    "ineq_hidden": ("Dolda delområden (`..`) ingår inte i beräkningen – som mest {n} ett enskilt år (kolumnen "
                    "Dolda); deras värden används aldrig."),
    "ineq_method": ("Metod: lutningsindex (SII) och relativt index (RII) som i OHID:s Fingertips "
                    "(PHEindicatormethods, phe_sii): värdet regresseras på delområdets relativa rang (mittpunkten av "
                    "dess kumulativa befolkningsandel) med befolkningen som vikt; 95 % KI genom simulering ur "
                    "delområdenas konfidensintervall; registeruppgifter (utan urvalsfel) redovisas beskrivande, utan "
                    "intervall och utan prövning. Minst {n} delområden. Förändringen prövas mellan första och "
                    "senaste jämförbara år (z-test ur intervallen) där båda åren har intervall. Se sidan Data."),
    "ineq_gender_title": "Skillnaden mellan {k} och {m} över tid",
    "ineq_gender_none": "Det finns inga år där båda könen har publicerade värden.",
    "ineq_subject_gender": "Skillnaden mellan {k} och {m}",
    "ineq_gender_alt": "Linjediagram: skillnaden {k} minus {m} per år med 95 % konfidensintervall.",
    "ind_tab_gaps": "Skillnader",
    "ind_sii_figure": "Skillnad mellan delområden (SII {year})",
    "ind_gaps_none": ("Indikatorn är varken uppdelad på kön eller redovisad per delområde, så här finns inga "
                      "skillnader att följa."),
    "ind_gaps_map_link": "Hela vyn med rangordningen av delområdena finns på sidan Trygghet per delområde.",
    "ov_district_gap": "Skillnad mellan delområden",
    "map_title": "Trygghet per delområde – {municipality}",
    "map_no_districts": "Det finns inga delområden eller delområdesindikatorer för kommunen i databasen.",
    "map_no_values": "Det finns inga värden för {title} per delområde.",
    "map_basemap": "Bakgrundskarta",
    "map_tooltip_code": "Områdeskod (SCB)",
    "map_basemap_help": "Hämtar kartbakgrund från internet; av som standard eftersom många nät blockerar den.",
    "map_deso_only": ("Indikatorn visas per DeSO: källan har inga egna värden per RegSO, och RegSO-värden räknas "
                      "inte fram ur DeSO-värden (SCB:s delområdesstatistik har slumpmässigt brus, så delarna "
                      "summerar inte till helheten)."),
    "map_survey_legend": ("`..` = undertryckt (färre än {threshold} svarande, eller dolt för att skydda ett annat "
                          "område) · `–` = inga svarande/uppgift saknas."),
    "map_register_legend": "Källa: {source}. `..` = skyddat av källan · `–` = uppgift saknas.",
    "map_summary": "{title} {year}, {gender}: {n} av {total} delområden har ett publicerat värde",
    "map_summary_range": "; högst {top} ({top_value}), lägst {bottom} ({bottom_value})",
    "map_no_ci": " (inga konfidensintervall)",
    "map_summary_suppressed": "; {n} undertryckta.",
    "map_pick_district": "Välj delområde som filter för de andra sidorna",
    "map_district_chosen": ("Delområdet **{name}** är valt som filter; de andra sidorna visar dess värden där "
                            "indikatorn finns per delområde."),
    # Trygghet with a district chosen (issue #30): the chosen district first, beside the municipality
    "map_chosen_value": "**{name}** {year}: **{value}**{rest}",
    "map_chosen_rest": " – hela kommunen {value}",
    "map_chosen_hidden": "**{name}** {year}: värdet visas inte (för få för att redovisas) – hela kommunen {value}",
    "map_chosen_mark": "{name} (valt)",
    "map_demo_districts": "Delområdena är genererade demoområden, inte verkliga gränser.",
    "map_no_value": "–  inget värde i databasen",
    # Maps coloured by polarity, the chosen municipality marked, peers in Jämför → Utveckling (issue #30)
    "map_legend_higher_better": "Färgen följer indikatorns riktning: ett högre värde är bättre.",
    "map_legend_lower_better": "Färgen följer indikatorns riktning: ett lägre värde är bättre.",
    "map_legend_neutral": "Indikatorn är neutral (inget håll är bättre): mörkare färg = högre värde.",
    "map_legend_better": "Bättre",
    "map_legend_worse": "Sämre",
    "map_legend_highest": "Högst",
    "map_legend_lowest": "Lägst",
    "map_legend_heading": "Teckenförklaring",
    "map_legend_chosen": "Tjock svart kant: {name} (vald kommun)",
    "map_legend_peers": "Smalare svart kant: {label} ({n} kommuner)",
    "cmp_peers": "Kommuner i diagrammet",
    "cmp_peers_help": ("Jämförelsegruppens kommuner är förvalda; lägg till eller ta bort kommuner (högst {max}). "
                       "Valet sparas i länken."),
    "cmp_peers_from_group": ("Förvalda: kommunerna i {group}. {name} ritas med tjock linje, {bench} streckad, "
                             "övriga kommuner tunnare."),
    "cmp_peers_none_group": "{name} ritas med tjock linje och {bench} streckad; välj kommuner att lägga till.",
    # Jämför kommuner
    "cmp_show_all": "Visa alla kommuner med värden (annars vald kommun och jämförelsegruppen)",
    "cmp_comparison_note": "Jämförelse i sidopanelen: **{label}**. Byt jämförelsegrupp där.",
    "cmp_no_values": "Inga värden för {title} {year}. Välj ett annat år eller en annan indikator.",
    "cmp_tab_rank": "Rangordning",
    "cmp_tab_map": "Karta",
    "cmp_tab_trend": "Utveckling",
    "cmp_tab_scatter": "Samband",
    "cmp_rank_caption": "Ordning: bäst först enligt indikatorns polaritet. Streckad linje: {bench}{value}.",
    "cmp_map_caption": ("{n} av {total} kommuner har ett värde {year}. Samma värden finns som tabell under fliken "
                        "”Rangordning”."),
    "cmp_no_trend": "Inga värden för de valda kommunerna.",
    "cmp_second_indicator": "Andra indikatorn (y-axel)",
    "cmp_no_pairs": "Inga kommuner har värden för båda indikatorerna {year}.",
    "cmp_scatter_title": "Kommunerna {year}",
    "cmp_scatter_caption": "{n} kommuner med värden för båda indikatorerna {year} (totalt, båda kön).",
    "cmp_rank_missing": "{name} saknar värde detta år.",
    "cmp_rank_neutral_order": " (ordnat från högst till lägst; indikatorn är neutral)",
    "cmp_rank_place": "**{name}** har {value} och placerar sig **{pos} av {n}**{order}.",
    "cmp_rank_untested": "Placeringen är inte testad: värdena saknar konfidensintervall.",
    "cmp_rank_tested": ("Med 95 %-konfidensintervall är {name} {sure} av de {n} övriga med intervall; övriga "
                        "skillnader är inte säkerställda."),
    # Risk- och skyddsfaktorer
    "risk_title": "Risk- och skyddsfaktorer – {where}",
    "risk_district": ", delområde {name}",
    "risk_intro": ("Modellen kommer från Katrineholms kommuns arbete med social hållbarhet: riskfaktorer ökar och "
                   "skyddsfaktorer minskar sannolikheten för normbrytande beteende. Faktorerna verkar på fem nivåer "
                   "och grupperas i tre huvudkategorier. Varje faktor mäts med en eller flera indikatorer, som här "
                   "jämförs med **{comparison}**{district}."),
    "risk_district_mark": "delområdet – jämförs med hela kommunen",
    "risk_intro_district": " (delområdet jämförs med hela kommunen där indikatorn finns per delområde)",
    "risk_no_factors": "Databasen har inga risk- och skyddsfaktorer.",
    "risk_matrix_heading": "Läget per nivå och kategori",
    "risk_matrix_caption": (
        "Varje faktor sammanfattar hur dess indikatorer ligger mot jämförelsen, t.ex. ”2 av 3 säkert bättre, 1 "
        "utan jämförelse”. ▼/▲ hög/låg risk (svagt/starkt skydd) bara när alla testade indikatorer pekar åt samma håll; "
        "◐ = blandat; ● = ingen säker skillnad; ○ = inget kunde testas. Texten bär betydelsen – färgen är bara stöd."),
    "risk_details_heading": "Faktorer och indikatorer",
    "risk_model_source": "Källa för modellen: {source}",
    # Data och definitioner
    "data_tab_catalogue": "Indikatorkatalog",
    "data_tab_provenance": "Datakällor och körningar",
    "data_tab_methods": "Så bedömer vi förändringar",
    "data_tab_disclosure": "Röjandeskydd",
    "data_tab_download": "Ladda ner",
    "data_catalogue_intro": ("{n} indikatorer, med definition, enhet, källa och id. Sök med webbläsarens sökfunktion "
                             "(Ctrl+F eller ⌘F). Hela katalogen, med alla kolumner, finns under Ladda ner."),
    "data_cat_caption": "Indikatorkatalogen ({n} indikatorer)",
    "data_cat_col_indicator": "Indikator",
    "data_cat_col_definition": "Definition",
    "data_cat_col_unit": "Enhet",
    "data_cat_col_source": "Källa",
    "data_cat_col_kind": "Typ",
    "data_cat_col_ids": "Id (databasen, källan)",
    "data_cat_short": "Kort namn",
    "data_cat_breaks": "Seriebrott",
    "data_cat_methods": "Metod per område",
    "data_cat_polarity": "Polaritet",
    "data_cat_gender": "Könsuppdelad",
    "data_cat_age": "Åldersgrupp",
    "data_cat_years": "År",
    "data_cat_fetched": "Senast hämtad",
    "data_cat_fetched_from": "Hämtad från",
    "data_cat_demo": "Demodata",
    "data_cat_suppression": "Röjandeskydd",
    "data_cat_levels": "Nivåer",
    "data_store_line": "Databasens schemaversion: **{version}** · byggd **{built} UTC**{demo}",
    "data_store_demo": " · **demodatabas**",
    "data_download_intro": "Ladda ner katalogen, och alla indikatorvärden för **{municipality}** med jämförelser.",
    "data_download_catalogue": "Indikatorkatalog (CSV)",
    "data_prepare_xlsx": "Förbered Excel-fil med alla värden",
    # One indicator in full
    "ind_catalogue_title": "Katalogens indikator: {title}",
    "ind_district": "Visar delområdet {name}, jämfört med hela kommunen.",
    "ind_no_district": "Indikatorn finns inte per delområde: visar hela kommunen.",
    "ind_latest": "Senaste",
    "ind_latest_year": "Senaste ({year}{who})",
    "ind_latest_district": "{name} ({year}{who})",  # a district's key figure says whose it is (#30)
    "ind_change": "Förändring",
    "ind_change_since": "Förändring sedan {year}",
    "ind_gap": "Skillnad {k}−{m}",
    "ind_no_gender": "Indikatorn redovisas inte per kön i källan.",
    "ind_sources": "Källa: {sources}",
    "ind_tab_trend": "Utveckling",
    "ind_tab_gender": "Kön",
    "ind_tab_table": "Tabell",
    "ind_tab_about": "Om indikatorn",
    # Meeting pack (python -m report, the Mötesunderlag download)
    "pack_title": "Uppföljning av strategin",
    "pack_unknown_focus": "Okänt fokusområde för {municipality}: {ids}. Strategins områden: {known}.",
    "pack_method_verdicts": (
        "Förbättrad/försämrad, bättre/sämre och ökande/minskande står bara där ett test på 95 % stöder det: "
        "Newcombes intervall för skillnaden mellan två andelar (enkäter med antal svarande), Altman–Blands test "
        "där värdena bara har konfidensintervall, värdets intervall mot jämförelsevärdet (Fingertips metod), "
        "och för trenden de senaste fem jämförbara, oberoende mätningarna chi-två-test för trend "
        "(andelar med svarande), viktad regression på standardfelen (värden med intervall) eller Mann–Kendalls "
        "test (registeruppgifter). I översikten vägs varje kolumns test samman (Benjamini–Hochberg). Annars anges skillnaden med sin enhet (procentenheter för andelar) och "
        "”ej testad”. Källor till metoderna: Fingertips/OHID:s tekniska vägledning och SCB; se sidan Data och "
        "definitioner."),
    "pack_method_disclosure": (
        "Röjandeskydd: enkätceller med färre än {threshold} svarande visas som ”..”, och celler som skulle "
        "kunna räknas fram ur andra (kön, delområden) döljs också, liksom andelar på 0 % eller 100 % som skulle "
        "avslöja hur alla i en dold del svarat. En cell som varit dold i en tidigare version förblir dold. "
        "”–” betyder att uppgift saknas."),
    "pack_method_sources": (
        "Varje indikatorsida anger källan och datum då värdena hämtades. Jämförelser med en grupp av kommuner "
        "är ovägda medelvärden av gruppens kommuner, beräknade i verktyget."),
    "pack_chart_alt": "Linjediagram: {title} per år för {series}.",
    "pack_continued": "del",
    "pack_summary_subtitle": "Mål och indikatorer – jämfört med {comparison}",
    "pack_footer": "{municipality} · {strategy} · värden hämtade t.o.m. {date}",
    "pack_demo_short": "DEMODATA – inte officiell statistik",
    "pack_demo_long": ("DEMODATA: värdena är syntetiska och gjorda för att visa verktyget. De är inte officiell "
                       "statistik och får inte användas som underlag för beslut."),
    "pack_fact_area": "Område: {area}",
    "pack_fact_comparison": "Jämförelse: {comparison}",
    "pack_fact_period": "År: {period} · basår för förändring: {baseline}",
    "pack_fact_date": "Värden hämtade t.o.m. {date} · databasen byggd {built}",
    "pack_col_goal": "Mål",
    "pack_col_latest": "Senaste värde",
    "pack_col_change": "Förändring sedan basår",
    "pack_col_trend": "Trend",
    "pack_col_standing": "Jämfört med {comparison}",
    "pack_col_target": "Strategins mål",
    "pack_no_chart": "Inga publicerade värden att visa som diagram.",
    "pack_methods_heading": "Metoder och förbehåll",
    "pack_page": "Sida",
    "chart_download": "Diagram ({kind})",
    # Trend charts (issue #30): the strategy's years, one series per gender and area, the Utveckling tab's view.
    "chart_start": "Strategin börjar {year}",
    "chart_baseline": "Basår {year}",
    "chart_start_baseline": "Strategin börjar {year} (basår)",
    "chart_series": "{who} – {area}",
    "chart_total": "Totalt",
    "ind_trend_caption": "Heldragna linjer: {area}. Streckade linjer: {comparison}.{band}",
    "ind_trend_band": " Skuggat fält: 95 % konfidensintervall för {area}.",
    "ind_table_source": "Källa",
    "ind_table_year": "År",
    "ind_table_caption": "{title} ({unit}) per år: {areas}",
    "ind_table_members": "Jämförelsegruppens kommuner var för sig finns i CSV-filen.",
    "ind_gender_caption": "Heldragna linjer: {area}. Streckade linjer: {comparison} för {k} och {m}.",
    "actions_no_follow_up": ("Uppföljningen av åtgärdsplanen har inte lästs in ännu. Kontakta den som förvaltar "
                             "verktyget för att få den inläst."),
    "actions_summary": "**{active} av {total} åtgärder** i {area}t pågår eller är genomförda (senaste uppföljning {year}).",
    "actions_latest": " — {status} ({year}, {responsible})",
    "actions_col_status": "Status",
    "actions_col_responsible": "Ansvarig",
    "actions_col_comment": "Kommentar",
    "actions_source": "Uppföljningen lästes in från {file} den {date}.",
    "actions_col_origin": "Uppgift från",
    "actions_origin_import": "inläst fil",
    "actions_origin_app": "rapport i appen",
    "actions_col_approved": "Godkänd",
    "actions_approved": "{who}, {date}",
    "actions_source_app": "Rapporter i appen visas först när samordnaren har godkänt dem.",
    "note_line": "Not {number}, {year}{example}: {text}{source}",
    "note_example": " (exempel i demodatabasen, ingen verklig händelse)",
    "data_versions": "**Databasens versioner** ({n}, nyast först): det ”Nytt sedan …” jämför med.",
    "data_versions_col_day": "Publicerad",
    "data_versions_col_kind": "Kommando",
    "data_versions_col_note": "Anmärkning",
    "filter_since": "Nytt sedan …",
    "filter_since_off": "Visa inte",
    "filter_since_demo_version": "{date} (DEMO: simulerad version)",
    "filter_since_help": "Markerar de uppgifter som har tillkommit, reviderats eller tagits bort i databasen efter den "
                         "valda dagen, t.ex. förra mötet. Dagarna är de då tidigare versioner publicerades.",
    "filter_since_single": "Databasen har bara en version än; ”Nytt sedan …” visar ändringar när den har byggts om.",
    "since_heading": "Nytt sedan {date}",
    "since_intro": "Uppgifter för {municipality} och dess delområden som publicerats efter {date} (svensk tid): "
                   "{new} nya, {revised} reviderade, {withdrawn} visas inte längre.",
    "since_none": "Inga nya eller reviderade uppgifter för {municipality} har publicerats efter {date}.",
    "since_demo": "DEMODATA: ändringarna jämför demodatabasen med en simulerad tidigare version; de är inte "
                  "verkliga revideringar.",
    "since_area": "{title}: {n} ändrade uppgifter",
    "since_col_indicator": "Indikator",
    "since_col_area": "Område",
    "since_col_year": "År",
    "since_col_gender": "Kön",
    "since_col_change": "Ändring",
    "since_col_old": "Tidigare värde",
    "since_col_new": "Nytt värde",
    "since_col_published": "Publicerad",
    "since_col_source": "Källa (värdet nu)",
    "since_sources": "Källa för värdena nu: {sources}.",
    "change_new": "Ny uppgift",
    "change_revised": "Reviderad",
    "change_withdrawn": "Visas inte längre",
    "since_withdrawn_note": "”Visas inte längre”: uppgiften publicerades tidigare men är nu dold eller saknas; "
                            "inget värde visas för den.",
    "since_mark": "Nytt sedan {date}: {what}",
    "since_mark_new": "ny {years}",
    "since_mark_revised": "reviderad {years}",
    "since_mark_withdrawn": "borttagen {years}",
    "since_chart_caption": "Ring runt en punkt: uppgiften är ny eller reviderad sedan {date} ({what}).",
    "pres_start": "Visa som presentation",
    "pres_help": "En bild per skärm, stor text. Piltangenterna eller en presentationsklickare byter bild; Esc avslutar.",
    "pres_previous": "Föregående",
    "pres_next": "Nästa",
    "pres_leave": "Avsluta presentationen",
    "pres_counter": "**{number}** / {n}",
    "pack_heading": "Mötesunderlag",
    "pack_help_all": "Hela strategin för nuvarande urval: en sammanfattning per område och en sida per indikator.",
    "pack_help_focus": "Det här området för nuvarande urval: sammanfattning och en sida per indikator.",
    "pack_format": "Format",
    "pack_format_pptx": "PowerPoint",
    "pack_format_pdf": "PDF",
    "pack_prepare": "Skapa mötesunderlag",
    "pack_making": "Skapar mötesunderlaget …",
    "pack_download": "Ladda ner ({fmt})",
    "download_csv": "Ladda ner CSV",
    "download_xlsx": "Ladda ner Excel",
    "empty_indicator": "Det finns inga värden för {title} med nuvarande urval. Välj ett annat år, en annan kommun eller ett annat delområde.",
    "empty_district": "Det finns inga värden för delområdet {district}. Välj ”Hela kommunen” eller ett annat delområde i sidopanelen.",
    # Sign-in and editing (issue #27)
    "nav_edit": "Redigera",
    "page_notes": "Anteckningar",
    "page_action_report": "Åtgärder – rapportera",
    "page_action_review": "Åtgärder – granska",
    "account_heading": "Konto",
    "account_login": "Logga in",
    "account_login_help": ("Logga in för att skriva anteckningar (redaktör) eller rapportera åtgärder "
                           "(åtgärdsansvarig)."),
    "account_signed_in": "Inloggad som **{who}** ({role})",
    "account_logout": "Logga ut",
    "account_roles_file_error": "Rollerna kunde inte läsas: {message} Du har inga skrivrättigheter just nu.",
    "notes_title": "Anteckningar på trenderna",
    "notes_intro": ("Skriv en lokal anteckning om något som hänt som kan förklara en kurva, t.ex. att en fritidsgård "
                    "öppnade. Den visas som ”Not N” på indikatorns diagram och i listan under det, för alla, direkt "
                    "när den sparats. Du skriver som {who} ({role})."),
    "notes_refused": ("Du har inte behörighet att skriva anteckningar. Sidan är för inloggade redaktörer; "
                      "logga in med ett konto som har rollen redaktör för kommunen."),
    "notes_refused_anonymous": "Du är inte inloggad. Logga in (i sidopanelen) med ett konto som har rollen redaktör.",
    "notes_municipality": "Kommun",
    "notes_indicator": "Indikator",
    "notes_year": "År",
    "notes_text": "Text (högst {max} tecken, ingen HTML eller markdown)",
    "notes_source": "Källa (valfri), t.ex. ett beslut eller en rapport",
    "notes_preview": "Förhandsvisning",
    "notes_preview_caption": "Så här står anteckningen under diagrammet för {indicator} ({municipality}):",
    "notes_preview_empty": "Skriv en text för att se hur anteckningen kommer att se ut.",
    "notes_save": "Spara anteckningen",
    "notes_saving": "Sparar och publicerar …",
    "notes_saved": "Anteckningen är sparad och syns nu på {indicator}s diagram.",
    "notes_existing": "Anteckningar skrivna i appen för {municipality}",
    "notes_none": "Inga anteckningar har skrivits i appen för {municipality} än.",
    "notes_item": "**{indicator}**, {year}: {text}{source} — {who}, {at}",
    "notes_remove": "Ta bort",
    "notes_removed": "Anteckningen är borttagen.",
    "audit_heading": "Logg över ändringar",
    "audit_none": "Inga ändringar har gjorts i appen än.",
    "audit_col_at": "När (UTC)",
    "audit_col_who": "Vem",
    "audit_col_action": "Vad",
    "audit_col_municipality": "Kommun",
    "audit_col_target": "Gäller",
    "audit_action_target": "åtgärd {code}",
    "audit_col_year": "År",
    "audit_col_text": "Text",
    "audit_note_added": "anteckning tillagd",
    "audit_note_removed": "anteckning borttagen",
    "audit_survey_uploaded": "enkätfil publicerad",
    "audit_publication_undone": "publicering ångrad",
    "audit_target_set": "mål satt",
    "audit_target_removed": "mål borttaget",
    "audit_actions_uploaded": "åtgärdsuppföljning publicerad",
    "page_targets": "Mål",
    "targets_title": "Strategins mål",
    "targets_intro": ("Sätt eller ändra målet för en av strategins indikatorer: ett värde som ska nås ett visst år, "
                      "eller bara att värdet ska öka eller minska. Ange beslutet målet kommer från. Målet syns på "
                      "översikten och fokussidan och bedöms där mot indikatorns trend. Målen i strategifilen gäller "
                      "tills ett mål sätts här; varje ändring sparas med vem och när. Inloggad som {who} ({role})."),
    "targets_refused": ("Du har inte behörighet att ändra mål. Sidan är för inloggade redaktörer; "
                        "be administratören om rollen redaktör för din kommun."),
    "targets_refused_anonymous": "Du är inte inloggad. Logga in (i sidopanelen) med ett konto som har rollen redaktör.",
    "targets_indicator": "Mål och indikator",
    "targets_current": "Gällande mål: **{goal}**{source}. {origin}",
    "targets_current_none": "Indikatorn har inget mål i strategin.",
    "targets_origin_file": "Från strategifilen.",
    "targets_origin_app": "Satt i appen av {who}, {at}.",
    "targets_kind": "Nytt mål",
    "targets_kind_value": "Ett värde som ska nås ett visst år",
    "targets_kind_direction": "Bara en riktning",
    "targets_kind_none": "Inget mål (ta bort målet)",
    "targets_value": "Målvärde ({unit})",
    "targets_year": "Målår",
    "targets_direction": "Värdet ska",
    "targets_direction_öka": "öka",
    "targets_direction_minska": "minska",
    "targets_source": "Beslut som målet kommer från (krävs), t.ex. KF 2025-03-24 § 41",
    "targets_save": "Spara målet",
    "targets_saved": "Målet för {indicator} är sparat och gäller nu på översikten och fokussidan.",
    "targets_history": "Mål satta i appen för {municipality}",
    "targets_history_none": "Inga mål har satts i appen för {municipality} än.",
    "targets_col_at": "När (UTC)",
    "targets_col_who": "Vem",
    "targets_col_goal": "Mål",
    "targets_col_indicator": "Indikator",
    "targets_col_target": "Målet",
    "targets_col_source": "Beslut",
    "page_upload": "Ladda upp",
    "upload_button": "Välj fil",
    "upload_limit": "Högst {max} MB · CSV eller Excel (.xlsx)",
    "upload_title": "Ladda upp enkätresultat eller åtgärdsuppföljning",
    "upload_intro": ("Du ser först vad som ändras; inget publiceras förrän du trycker på Publicera. "
                     "Inloggad som {who} ({role})."),
    "upload_kind": "Vad vill du ladda upp?",
    "upload_kind_survey": "Enkätfil",
    "upload_kind_actions": "Åtgärdsuppföljning",
    "upload_survey_intro": ("Ladda upp en enkätfil enligt mallen (data/templates/enkat_mall.csv), som CSV eller Excel "
                            "(.xlsx), högst {max} MB."),
    "upload_actions_intro": ("Ladda upp handlingsplanens uppföljning enligt mallen: en rad per åtgärd och år med "
                             "kommun, målområde, åtgärd, år, status (ej påbörjad, pågår, genomförd eller avbruten), "
                             "ansvarig nämnd eller bolag och en kommentar. CSV eller Excel (.xlsx), högst {max} MB. "
                             "En rad för en åtgärd och ett år som redan finns ersätter den; andra år ligger kvar."),
    "upload_actions_template": "Ladda ned mallen (CSV)",
    "upload_actions_file": "Uppföljningsfil (CSV eller Excel)",
    "upload_actions_summary": ("{file}: {rows} rader lästa. {new} nya uppföljningar, {replaced} ersätter en "
                               "tidigare uppföljning av samma åtgärd och år."),
    "upload_actions_published": ("Publicerat: {rows} uppföljningar från {file} (version {build}). Målområdenas sidor "
                                 "visar de nya statusarna nu."),
    "upload_col_line": "Rad",
    "upload_col_action_plan": "Åtgärd",
    "upload_col_old_status": "Tidigare status",
    "upload_col_new_status": "Ny status",
    "upload_col_responsible": "Ansvarig",
    "upload_col_comment": "Kommentar",
    "upload_actions_change_new": "ny",
    "upload_actions_change_replaced": "ersätter tidigare",
    "upload_refused": ("Du har inte behörighet att ladda upp filer. Sidan är för inloggade redaktörer; "
                       "be administratören om rollen redaktör för din kommun."),
    "upload_refused_anonymous": "Du är inte inloggad. Logga in (i sidopanelen) med ett konto som har rollen redaktör.",
    "upload_municipality": "Kommun",
    "upload_file": "Enkätfil (CSV eller Excel)",
    "upload_preview": "Förhandsvisning",
    "upload_summary": ("{file}: {rows} rader lästa. {new} nya värden, {revised} reviderade, {withdrawn} som dras "
                       "tillbaka; {hidden} celler döljs av röjandekontrollen ({hidden_earlier} av dem redan "
                       "publicerade celler som nu måste döljas)."),
    "upload_refusals": "Filen kan inte publiceras. Rätta felen och ladda upp filen igen:",
    "upload_changes": "Det här ändras",
    "upload_no_changes": "Inga publicerade värden ändras.",
    "upload_hidden": "Celler som döljs (för få svarande eller för att en dold cell inte ska kunna räknas fram)",
    "upload_no_hidden": "Inga celler döljs.",
    "upload_col_indicator": "Indikator",
    "upload_col_area": "Område",
    "upload_col_year": "År",
    "upload_col_gender": "Kön",
    "upload_col_change": "Ändring",
    "upload_col_old": "Tidigare värde",
    "upload_col_new": "Nytt värde",
    "upload_col_from_file": "Varifrån",
    "upload_from_file": "cell i filen",
    "upload_from_store": "redan publicerad cell",
    "upload_change_new": "nytt",
    "upload_change_revised": "reviderat",
    "upload_change_withdrawn": "dras tillbaka",
    "upload_publish": "Publicera",
    "upload_published": ("Publicerat: {rows} rader från {file} (version {build}). Alla som öppnar instrumentpanelen "
                         "ser de nya värdena nu."),
    "upload_undo": "Ångra senaste publiceringen",
    "upload_undo_what": ("Den senaste publiceringen för kommunen är uppladdningen av {file} ({rows} rader) av {who}, "
                         "{at} (UTC)."),
    "upload_undo_confirm": "Ja, återställ versionen före den uppladdningen",
    "upload_undo_none": ("Den senaste publiceringen är ingen uppladdning av en enkätfil i appen, så det finns inget "
                         "att ångra här."),
    "upload_undone": ("Ångrat: uppladdningen av {file} är borttagen och den tidigare versionen är publicerad igen "
                      "(ny version {build}; den ångrade var {undone})."),
    "upload_history": "Uppladdningar och ångringar",
    "upload_history_none": "Inga filer har laddats upp i appen än.",
    "upload_col_at": "När (UTC)",
    "upload_col_who": "Vem",
    "upload_col_action": "Vad",
    "upload_col_municipality": "Kommun",
    "upload_col_file": "Fil",
    "upload_col_rows": "Rader",
    "upload_col_sha": "Kontrollsumma (sha256)",
    "upload_col_undid": "Ångrade version",
    "upload_action_survey_uploaded": "fil publicerad",
    "upload_action_publication_undone": "publicering ångrad",
    "upload_action_actions_uploaded": "åtgärdsuppföljning publicerad",
    "audit_action_reported": "åtgärd rapporterad",
    "audit_action_report_approved": "rapport godkänd",
    "audit_action_report_rejected": "rapport avslagen",
    # The action plan reported in the app (issue #27)
    "ar_title": "Åtgärder – rapportera",
    "ar_intro": ("Rapportera status för de åtgärder som {body} ansvarar för. Du är inloggad som **{who}** ({role}). "
                 "En rapport syns på fokusområdets sida först när samordnaren har godkänt den; varje rapport sparas."),
    "ar_refused": ("Du har inte behörighet att rapportera åtgärder. Sidan är för inloggade åtgärdsansvariga; "
                   "be den som förvaltar verktyget om rollen."),
    "ar_refused_anonymous": "Du är inte inloggad. Logga in (i sidopanelen) med ett konto som har rollen åtgärdsansvarig.",
    "ar_none": ("Inga åtgärder i handlingsplanerna har {body} som ansvarig i den inlästa uppföljningen. Ansvaret "
                "för en åtgärd kommer från uppföljningsfilen (kolumnen ansvarig)."),
    "ar_action": "{label}",
    "ar_action_caption": "{area} · {municipality} · ansvarig: {responsible}",
    "ar_status": "Status",
    "ar_year": "Period (år)",
    "ar_comment": "Kommentar (högst {max} tecken, ingen HTML eller markdown)",
    "ar_send": "Skicka rapporten",
    "ar_sent": "Rapporten för {label} ({year}) är inskickad och väntar på samordnarens godkännande.",
    "ar_history": "Tidigare rapporter",
    "ar_history_none": "Inga rapporter har skickats för åtgärden än.",
    "ar_col_year": "Period",
    "ar_col_status": "Status",
    "ar_col_comment": "Kommentar",
    "ar_col_state": "Läge",
    "ar_col_reported": "Rapporterad",
    "ar_col_reviewed": "Granskad",
    "ar_col_reason": "Skäl för avslag",
    "ar_col_action": "Åtgärd",
    "arv_title": "Åtgärder – granska",
    "arv_intro": ("Godkänn eller avslå de rapporter som de ansvariga har skickat in. Du är inloggad som **{who}** "
                  "({role}). En godkänd rapport syns direkt på fokusområdets sida; en avslagen får sitt skäl."),
    "arv_refused": ("Du har inte behörighet att granska rapporter. Sidan är för inloggade redaktörer och "
                    "administratörer."),
    "arv_refused_anonymous": "Du är inte inloggad. Logga in (i sidopanelen) med ett konto som har rollen redaktör.",
    "arv_municipality": "Kommun",
    "arv_submitted": "Inskickade rapporter som väntar på granskning",
    "arv_submitted_none": "Inga rapporter väntar på granskning.",
    "arv_item": "**{label}** · {year} · {status} — {who}, {at}",
    "arv_item_comment": "Kommentar: {comment}",
    "arv_reason": "Skäl om du avslår (högst {max} tecken)",
    "arv_own": ("Du har själv skickat in den här rapporten, så du kan inte godkänna eller avslå den. En annan "
                "redaktör för kommunen eller en administratör granskar den."),
    "arv_approve": "Godkänn",
    "arv_reject": "Avslå",
    "arv_approved": "Rapporten för {label} ({year}) är godkänd och syns nu på fokusområdets sida.",
    "arv_rejected": "Rapporten för {label} ({year}) är avslagen.",
    "arv_missing": "Åtgärder utan rapport för perioden",
    "arv_missing_year": "Period (år)",
    "arv_missing_caption": ("{n} av {total} åtgärder i {municipality} saknar en inskickad eller godkänd rapport och en "
                            "inläst uppföljning för {year}. Ladda ner listan för påminnelser."),
    "arv_missing_none": "Alla åtgärder i {municipality} har en rapport eller en inläst uppföljning för {year}.",
    "arv_history": "Alla rapporter för {municipality}",
    "arv_history_none": "Inga rapporter har skickats i appen för {municipality} än.",
}


def t(name: str, /, **kwargs) -> str:
    """The Swedish string ``name``, formatted with ``kwargs``."""
    text = SV[name]
    return text.format(**kwargs) if kwargs else text


def gender_label(code: str, labels: str | None = None) -> str:
    if code in ("K", "M") and labels:
        return SV[f"gender_{code}_{labels}"]
    return SV[f"gender_{code}"]
