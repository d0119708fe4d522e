"""The demo's co-creation process: Løsningsjakten i Fjordvik.

A process like Asker's Løsningsjakten, run by Fjordvik's strategy unit: fourteen meeting
points of every kind (twelve held, two ahead with registrations), about 150 participants
counted by group, and 90 inputs. Most inputs are sorted into themes and turned into
twelve ideas; some of those ideas are accepted and one is put into use; some inputs are
answered directly; the rest wait to be sorted.

Everything goes through the real services (`cocreation.services`, `ideas.actions`), as
the unit's caseworker would do it, so the demo obeys the same rules as real data.
Idempotent: the process is keyed on its slug and the whole step is one transaction, so
it is made once, completely, and a second run changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from challenges.models import Theme
from cocreation import services
from cocreation.models import (
    Input,
    InputAnswer,
    InputChannel,
    MeetingKind,
    MeetingPoint,
    ParticipantGroup,
    Process,
)
from ideas import actions
from ideas.models import Idea, IdeaEvent, IdeaStatus
from portal import demo
from portal.models import Organisation, Unit, User

SLUG = "losningsjakten-fjordvik"
ORGANISING_UNIT = "strategi-og-utvikling"
IDRETTSLAGET = "998877660"
FJORDTECH = "926583417"

T_EARLY = "forebygging-og-tidlig-innsats"
T_WHOLE = "god-helhet-og-samhandling"
T_QUALITY = "god-kvalitet"
T_SKILLS = "nodvendig-kompetanse"

G = ParticipantGroup
# Short names for the groups, to keep the tables below readable.
AGE_13, AGE_20, AGE_40, AGE_67 = G.AGE_13_19, G.AGE_20_39, G.AGE_40_66, G.AGE_67_PLUS
RES, BUS, VOL, EMP = G.RESIDENT, G.BUSINESS, G.VOLUNTEER, G.EMPLOYEE


@dataclass(frozen=True)
class DemoMeeting:
    key: str
    kind: str
    title: str
    place: str
    days: int  # from today; negative is past
    hour: float
    hours: float
    is_public: bool = True
    attendance: tuple[tuple[str, int], ...] = ()  # (group, count); total is the larger sum
    capacity: int | None = None
    registrations: tuple[tuple[str, str], ...] = ()  # (name, e-mail), upcoming only
    accessibility: str = "Trinnfri adkomst og HC-toalett."
    description: str = ""


MEETINGS = [
    DemoMeeting(
        "kick",
        MeetingKind.WORKSHOP,
        "Oppstartsverksted på rådhuset",
        "Fjordvik rådhus, bystyresalen",
        -110,
        18,
        3,
        attendance=((AGE_20, 6), (AGE_40, 11), (AGE_67, 5), (RES, 14), (VOL, 5), (EMP, 3)),
        accessibility="Trinnfri adkomst, teleslynge og HC-toalett.",
        description="Hva trengs for et godt liv i Fjordvik? Vi starter jakten sammen.",
    ),
    DemoMeeting(
        "torget",
        MeetingKind.POPUP,
        "Stand på torget",
        "Torget i Fjordvik sentrum",
        -103,
        11,
        4,
        attendance=((AGE_13, 2), (AGE_20, 5), (AGE_40, 7), (AGE_67, 4), (RES, 18)),
        accessibility="Utendørs, flatt underlag.",
    ),
    DemoMeeting(
        "skole",
        MeetingKind.SCHOOL_VISIT,
        "Skolebesøk på Nordbyen ungdomsskole",
        "Nordbyen ungdomsskole, 9. trinn",
        -96,
        9,
        2,
        is_public=False,
        attendance=((AGE_13, 25), (RES, 25)),
    ),
    DemoMeeting(
        "hjem",
        MeetingKind.HOME_VISIT,
        "Hjemmebesøk med hjemmetjenesten",
        "Elvedalen",
        -90,
        10,
        3,
        is_public=False,
        attendance=((AGE_67, 3), (RES, 3)),
    ),
    DemoMeeting(
        "digital",
        MeetingKind.DIGITAL,
        "Digitalt kveldsmøte",
        "På nett (lenken kommer i bekreftelsen)",
        -84,
        19,
        1.5,
        attendance=((AGE_20, 4), (AGE_40, 6), (AGE_67, 1), (RES, 8), (EMP, 3)),
        accessibility="Teksting i sanntid.",
    ),
    DemoMeeting(
        "gate",
        MeetingKind.STREET_INTERVIEW,
        "Gateintervjuer på Sjøsiden senter",
        "Sjøsiden senter, ved hovedinngangen",
        -77,
        13,
        3,
        attendance=((AGE_13, 3), (AGE_20, 4), (AGE_40, 4), (AGE_67, 3), (RES, 14)),
    ),
    DemoMeeting(
        "vandring",
        MeetingKind.WALK,
        "Nærmiljøvandring i Bakkehaugen",
        "Oppmøte ved Bakkehaugen skole",
        -70,
        17.5,
        2,
        attendance=((AGE_20, 2), (AGE_40, 4), (AGE_67, 3), (RES, 7), (VOL, 2)),
        accessibility="Ca. 3 km på asfalt og grus, noen bakker. Vi går i rolig tempo.",
    ),
    DemoMeeting(
        "senior",
        MeetingKind.WORKSHOP,
        "Verksted på seniorsenteret",
        "Fjordvik seniorsenter, Storgata 12",
        -63,
        11,
        2,
        attendance=((AGE_67, 16), (RES, 12), (VOL, 4)),
        accessibility="Trinnfri adkomst, teleslynge og HC-toalett.",
    ),
    DemoMeeting(
        "frivillig",
        MeetingKind.WORKSHOP,
        "Kveld med lag og foreninger",
        "Frivilligsentralen, Havnegata 2",
        -56,
        18,
        2.5,
        attendance=((AGE_20, 3), (AGE_40, 6), (AGE_67, 3), (VOL, 12)),
    ),
    DemoMeeting(
        "naering",
        MeetingKind.WORKSHOP,
        "Frokostmøte med næringslivet",
        "Fjordtech AS, Havnegata 4",
        -49,
        8,
        1.5,
        attendance=((AGE_20, 3), (AGE_40, 5), (BUS, 8)),
    ),
    DemoMeeting(
        "ungdom",
        MeetingKind.POPUP,
        "Stand på ungdomsklubben Skogly",
        "Skogly ungdomsklubb",
        -42,
        18,
        2,
        attendance=((AGE_13, 10), (RES, 10)),
    ),
    DemoMeeting(
        "bibliotek",
        MeetingKind.POPUP,
        "Innspillsvegg på biblioteket",
        "Fjordvik bibliotek, 1. etasje",
        -35,
        10,
        8,
        attendance=((AGE_20, 2), (AGE_40, 2), (AGE_67, 2), (RES, 6)),
        description="Skriv på en lapp, eller skann QR-koden og send innspillet fra mobilen.",
    ),
    DemoMeeting(
        "tiltak",
        MeetingKind.WORKSHOP,
        "Verksted: fra innspill til tiltak",
        "Fjordvik rådhus, bystyresalen",
        9,
        18,
        2.5,
        capacity=30,
        registrations=(
            ("Lene Fossum", "lene.fossum@example.no"),
            ("Arne Nygård", "arne.nygard@example.no"),
            ("Mina Rahimi", "mina.rahimi@example.no"),
            ("Bjørg Lunde", "bjorg.lunde@example.no"),
            ("Tobias Eide", "tobias.eide@example.no"),
        ),
        accessibility="Trinnfri adkomst, teleslynge og HC-toalett. Enkel servering.",
        description="Vi viser hva vi har hørt, og velger sammen hvilke ideer vi prøver først.",
    ),
    DemoMeeting(
        "hva-hoerte-vi",
        MeetingKind.DIGITAL,
        "Digitalt møte: hva har vi hørt?",
        "På nett (lenken kommer i bekreftelsen)",
        16,
        19,
        1,
        capacity=4,
        registrations=(
            ("Kjell Aasland", "kjell.aasland@example.no"),
            ("Sara Holm", "sara.holm@example.no"),
            ("Jon Are Dale", "jonare.dale@example.no"),
            ("Marit Bø", "marit.bo@example.no"),
            ("Ahmed Yusuf", "ahmed.yusuf@example.no"),
        ),
        accessibility="Teksting i sanntid.",
    ),
]

# How each kind of meeting's inputs came in.
CHANNELS = {
    MeetingKind.WORKSHOP: InputChannel.STICKY_NOTE,
    MeetingKind.POPUP: InputChannel.STICKY_NOTE,
    MeetingKind.SCHOOL_VISIT: InputChannel.STICKY_NOTE,
    MeetingKind.HOME_VISIT: InputChannel.CONVERSATION,
    MeetingKind.DIGITAL: InputChannel.CONVERSATION,
    MeetingKind.STREET_INTERVIEW: InputChannel.CONVERSATION,
    MeetingKind.WALK: InputChannel.CONVERSATION,
}
# At the library wall people could also send their input from the QR code themselves.
SELF_SERVICE_MEETINGS = {"bibliotek"}


@dataclass(frozen=True)
class DemoInput:
    meeting: str
    group: str
    text: str
    email: str = ""  # left for feedback on what becomes of it


N = DemoInput


@dataclass(frozen=True)
class DemoIdea:
    theme: str
    title: str
    summary: str
    description: str
    inputs: tuple[DemoInput, ...]
    # The last `attach_later` inputs came in after the idea was written and were attached.
    attach_later: int = 0
    status: str = IdeaStatus.SUBMITTED
    public_text: str = ""
    result: str = ""


S = IdeaStatus

IDEAS = [
    DemoIdea(
        T_WHOLE,
        "Én fast kontaktperson for familier som trenger mange tjenester",
        "Familier med sammensatte behov får én person i kommunen som holder trådene.",
        "Flere familier forteller at de må forholde seg til mange kontaktpersoner og fortelle "
        "det samme om og om igjen. En fast koordinator som kjenner familien, kan samle "
        "tjenestene rundt dem.",
        (
            N(
                "kick",
                AGE_40,
                "Vi har et barn med store behov og må forholde oss til åtte kontaktpersoner "
                "i kommunen. Gi oss én som holder trådene.",
                "lene.f@example.no",
            ),
            N(
                "digital",
                AGE_20,
                "Det er slitsomt å fortelle den samme historien til helsestasjonen, PPT og "
                "barnehagen. Kan dere snakke sammen?",
            ),
            N("hjem", AGE_67, "Jeg vet aldri hvem jeg skal ringe når noe endrer seg."),
            N(
                "frivillig",
                VOL,
                "Vi møter familier som har gitt opp å finne fram i systemet. En los i "
                "kommunen ville gjort det lettere for oss å hjelpe dem videre.",
            ),
            N("kick", AGE_20, "Én dør inn til kommunen når livet blir vanskelig."),
        ),
        status=S.ACCEPTED,
        public_text="Vi prøver ut en fast koordinator for 20 familier fra nyttår.",
    ),
    DemoIdea(
        T_EARLY,
        "Flere åpne kvelder på ungdomsklubben",
        "Et gratis sted å være etter skoletid, med voksne til stede, flere dager i uka.",
        "Ungdom savner et sted å være etter skolen som ikke koster penger og ikke er "
        "kjøpesenteret. Ungdomsklubben Skogly har lokalene, men er bare åpen to kvelder.",
        (
            N(
                "skole",
                AGE_13,
                "Det finnes ingen plass å være etter skolen når det regner, bortsett fra "
                "kjøpesenteret.",
            ),
            N("skole", AGE_13, "Et sted med wifi, sofaer og noen voksne som ikke maser."),
            N("ungdom", AGE_13, "Klubben burde være åpen flere dager enn tirsdag og torsdag."),
            N("gate", AGE_13, "Vi blir kastet ut fra senteret hvis vi sitter der for lenge."),
            N("ungdom", AGE_13, "Kan vi låne gymsalen på kveldene til å spille basket?"),
            N("torget", AGE_40, "Ungdommen trenger et sted å være som ikke koster penger."),
        ),
        attach_later=1,
        status=S.IMPLEMENTED,
        public_text="Vi utvider åpningstidene fra høsten, med to nye miljøarbeidere.",
        result="Skogly ungdomsklubb har nå åpent fire kvelder i uka, og gymsalen på "
        "Nordbyen står åpen for basket på fredager. Rundt 40 ungdommer kommer hver kveld.",
    ),
    DemoIdea(
        T_WHOLE,
        "Følgetjeneste til lege og sykehus med frivillige sjåfører",
        "Frivillige følger eldre uten bil til legetimer og kontroller.",
        "Mange eldre har ikke bil, og drosje er dyrt. Frivillige vil gjerne kjøre og følge, "
        "men vet ikke hvem som trenger det. Frivilligsentralen kan koordinere.",
        (
            N("hjem", AGE_67, "Jeg gruer meg til å ta bussen alene til sykehuset."),
            N("senior", AGE_67, "Mange av oss har ikke bil lenger, og drosje til legen er dyrt."),
            N("senior", VOL, "Jeg kjører gjerne andre til legen hvis noen kan koordinere det."),
            N(
                "frivillig",
                VOL,
                "Vi har sjåfører som vil hjelpe, men vi får ikke vite hvem som trenger det.",
            ),
            N(
                "digital",
                AGE_40,
                "Mor bor alene og har ingen å følges med til kontroller. Jeg bor i Bergen og "
                "kan ikke ta fri hver gang.",
            ),
        ),
        status=S.IN_REVIEW,
    ),
    DemoIdea(
        T_EARLY,
        "Tryggere skolevei i Bakkehaugen",
        "Fortau hele veien, flyttet fotgjengerfelt og lys under jernbanebrua.",
        "På nærmiljøvandringen pekte foreldre og besteforeldre på de samme stedene: "
        "fotgjengerfeltet rett etter svingen, fortauet som slutter i bakken og den mørke "
        "undergangen.",
        (
            N(
                "vandring",
                AGE_40,
                "Fotgjengerfeltet ved skolen ligger rett etter en sving. Bilene ser ikke "
                "barna før det er for sent.",
                "anders.b@example.no",
            ),
            N("vandring", AGE_20, "Fortauet slutter midt i bakken, barna må gå i veien."),
            N("vandring", AGE_67, "Det er mørkt under jernbanebrua om vinteren."),
            N("skole", AGE_13, "Vi sykler på fortauet fordi veien er for smal og farlig."),
            N(
                "kick",
                AGE_40,
                "Foreldre som kjører helt fram til skoleporten skaper kaos hver morgen.",
            ),
        ),
        status=S.ACCEPTED,
        public_text="Fotgjengerfeltet flyttes i vår, og undergangen får lys før vinteren.",
    ),
    DemoIdea(
        T_QUALITY,
        "Digitale faddere for eldre",
        "Ungdom hjelper eldre med BankID, skjemaer og mobil, på biblioteket og seniorsenteret.",
        "Mye skal gjøres på nett, og mange eldre står fast. Ungdom tilbyr seg å lære bort; "
        "biblioteket og seniorsenteret har plassen.",
        (
            N("senior", AGE_67, "Jeg får ikke til BankID på mobilen og står fast i skjemaene."),
            N(
                "bibliotek",
                AGE_67,
                "Biblioteket hjelper meg med nettet, men bare én time i uka.",
            ),
            N("gate", AGE_67, "Alt skal på nett nå. Hvem hjelper oss som ikke er så flinke?"),
            N("kick", AGE_67, "Digital fadder på seniorsenteret, gjerne ungdom som får betalt."),
            N(
                "skole",
                AGE_13,
                "Vi kan lære bort mobil og data til eldre, vi gjør det jo for besteforeldrene.",
            ),
            N("senior", VOL, "Jeg er pensjonert IT-lærer og hjelper gjerne til som fadder."),
        ),
        status=S.ACCEPTED,
        public_text="Vi starter med faste fadderdager på biblioteket i samarbeid med skolen.",
    ),
    DemoIdea(
        T_WHOLE,
        "Lag og foreninger låner ledige kommunale lokaler enkelt",
        "Én oversikt over ledige rom, og nøkkelkort til skolene på kveldstid.",
        "Frivillige bruker mye tid på å finne lokaler, mens skolene står tomme om kvelden. "
        "Også bedrifter vil låne ut møterom.",
        (
            N(
                "frivillig",
                VOL,
                "Vi bruker mer tid på å finne lokaler enn på aktiviteten. Gi oss en oversikt "
                "over ledige rom.",
            ),
            N("frivillig", VOL, "Skolene står tomme hver kveld. Kan vi få låne nøkkelkort?"),
            N("digital", AGE_40, "Bookingsystemet for gymsalene er vanskelig å finne fram i."),
            N(
                "naering",
                BUS,
                "Vi har et møterom som står tomt på kveldene og låner det gjerne ut.",
            ),
        ),
        attach_later=1,
    ),
    DemoIdea(
        T_EARLY,
        "Turvenner for eldre som bor alene",
        "Frivilligsentralen setter eldre i kontakt med en turvenn, som besøksvennene.",
        "Ensomhet kom opp på nesten alle møtene med eldre. Mange vil gjerne gå tur, men ikke "
        "alene.",
        (
            N("hjem", AGE_67, "Det er lenge mellom hver gang noen kommer. Dagene blir lange."),
            N("senior", AGE_67, "Vi kunne gått tur sammen to og to om noen satte oss i kontakt."),
            N("vandring", AGE_67, "Jeg går gjerne tur, men ikke alene på glatta."),
            N("torget", AGE_40, "Frivilligsentralen burde ha turvenner, som besøksvennene."),
            N("senior", AGE_67, "Ensomhet er verre enn vondt i kneet."),
        ),
        status=S.IN_REVIEW,
    ),
    DemoIdea(
        T_SKILLS,
        "Sommerjobb for ungdom",
        "Kommunen og bedrifter gir 15–17-åringer sommerjobb, med fast oppfølging.",
        "Ungdom vil jobbe om sommeren, men få tar inn så unge. Bedrifter sier ja om "
        "kommunen følger opp.",
        (
            N("skole", AGE_13, "Vi vil jobbe i sommerferien, men ingen tar inn 15-åringer."),
            N(
                "ungdom",
                AGE_13,
                "Kommunen kunne ansatt ungdom til å male benker og rydde strender.",
            ),
            N(
                "naering",
                BUS,
                "Vi tar gjerne inn ungdom om sommeren hvis kommunen hjelper med oppfølgingen.",
            ),
            N("gate", AGE_20, "Sønnen min fikk sommerjobb i kommunen i fjor og vokste av det."),
        ),
        status=S.ACCEPTED,
        public_text="30 sommerjobber neste sommer, halvparten hos bedrifter i Fjordvik.",
    ),
    DemoIdea(
        T_QUALITY,
        "Benker og toaletter langs turveiene",
        "Sitteplasser med jevne mellomrom og et toalett som er åpent om kvelden.",
        "Eldre og småbarnsfamilier snur halvveis på turen fordi det ikke finnes benker eller "
        "toaletter.",
        (
            N("vandring", AGE_67, "Ingen steder å sitte mellom sentrum og Sjøsiden. Jeg må snu."),
            N("torget", AGE_67, "Et offentlig toalett i sentrum som er åpent om kvelden."),
            N("senior", AGE_67, "Flere benker langs strandpromenaden, med armlener."),
            N("gate", AGE_40, "Stellerom og toalett ved lekeplassen i parken."),
            N("bibliotek", AGE_40, "Benker i skyggen ved biblioteket om sommeren."),
        ),
        status=S.IN_REVIEW,
    ),
    DemoIdea(
        T_QUALITY,
        "Tilbakeringing i stedet for telefonkø",
        "Servicetorget ringer tilbake, og chat på nettsiden om kvelden.",
        "Det er lang kø på sentralbordet, og mange blir satt over feil.",
        (
            N("digital", AGE_40, "Det tar evigheter å komme gjennom på sentralbordet."),
            N("kick", AGE_67, "Jeg vil snakke med et menneske, ikke trykke 1, 2 og 3."),
            N("hjem", AGE_67, "Tilbakeringing hadde vært fint i stedet for å stå i kø."),
            N("torget", AGE_20, "Chat på nettsiden om kvelden, når vi som jobber har tid."),
        ),
    ),
    DemoIdea(
        T_SKILLS,
        "Språkpraksis og språkkafé for nye innbyggere",
        "Flere språkkafeer og enklere vei til språkpraksis i lokale bedrifter.",
        "Nye innbyggere vil lære norsk og bidra, men møter få nordmenn. Bedrifter og "
        "frivillige vil hjelpe.",
        (
            N("frivillig", VOL, "Språkkafeen vår er full hver uke. Vi trenger et større rom."),
            N(
                "naering",
                BUS,
                "Vi har gode erfaringer med språkpraksis, men det er tungvint å finne kandidater.",
            ),
            N(
                "bibliotek",
                AGE_20,
                "Jeg har bodd her i to år og snakker lite norsk, fordi jeg ikke møter nordmenn.",
            ),
            N("gate", AGE_20, "Flere norskkurs på kveldstid for oss som jobber om dagen."),
            N("kick", AGE_40, "Nye innbyggere er en ressurs for frivilligheten om de blir spurt."),
        ),
        status=S.ACCEPTED,
        public_text="Biblioteket åpner en språkkafé til på lørdager, og NAV kobler "
        "kandidater til bedriftene.",
    ),
    DemoIdea(
        T_EARLY,
        "Fritidskort og utstyrssentral for barn",
        "Alle barn skal kunne være med på en fritidsaktivitet, uansett hva foreldrene tjener.",
        "Barn slutter på aktiviteter når kontingent og utstyr koster for mye. Idrettslaget vil "
        "ha flere med.",
        (
            N("frivillig", VOL, "Noen barn slutter på fotball fordi foreldrene ikke har råd."),
            N("skole", AGE_13, "Det koster for mye å være med på alt vennene gjør."),
            N("digital", AGE_20, "En utstyrssentral der man kan låne ski og skøyter gratis."),
            N("kick", VOL, "Idrettslaget vil ha flere med, men vet ikke hvem som trenger støtte."),
        ),
        status=S.IN_REVIEW,
    ),
]

# Inputs answered directly: (input, kind of answer, the answer).
ANSWERED = [
    (
        N("gate", AGE_40, "Bussen til Bergen går for sjelden om kvelden."),
        InputAnswer.OUTSIDE_REMIT,
        "Busstilbudet bestemmer fylkeskommunen. Vi har sendt innspillet videre til dem.",
    ),
    (
        N("torget", AGE_20, "Reparer hullene i fylkesveien gjennom Elvedalen."),
        InputAnswer.OUTSIDE_REMIT,
        "Fylkesveien er fylkeskommunens ansvar. Vi har meldt hullene til fylkets veivakt.",
    ),
    (
        N("bibliotek", AGE_40, "Biblioteket burde ha åpent på søndager."),
        InputAnswer.ALREADY_DONE,
        "Biblioteket er meråpent alle dager fra 07 til 22 med lånekort, søndager også.",
    ),
    (
        N("senior", AGE_67, "En trygghetsalarm som virker når jeg er ute på tur."),
        InputAnswer.ALREADY_DONE,
        "Kommunen har trygghetsalarm med GPS. Ring helse og omsorg, så kommer vi på besøk.",
    ),
    (
        N("skole", AGE_13, "Gratis skolemat for alle."),
        InputAnswer.OTHER,
        "Skolemat er foreslått i budsjettet for neste år; bystyret bestemmer i desember.",
    ),
    (
        N("ungdom", AGE_13, "Lengre åpningstid i svømmehallen i helgene."),
        InputAnswer.ALREADY_DONE,
        "Fra høsten er svømmehallen åpen til klokka 20 både lørdag og søndag.",
    ),
    (
        N("naering", BUS, "Raskere behandling av byggesøknader."),
        InputAnswer.OTHER,
        "Byggesaker er ikke en del av denne prosessen; vi har gitt innspillet til byggesak.",
    ),
    (
        N("digital", AGE_40, "Strømstøtte for husholdninger som sliter."),
        InputAnswer.OUTSIDE_REMIT,
        "Strømstøtten er en statlig ordning. NAV kan hjelpe med økonomisk rådgivning.",
    ),
]

# Sorted into a theme, not yet decided: (theme, input).
SORTED = [
    (T_QUALITY, N("torget", AGE_40, "Flere søppelkasser langs strandpromenaden om sommeren.")),
    (T_QUALITY, N("gate", AGE_20, "Brøyt gang- og sykkelveiene før bilveiene.")),
    (T_EARLY, N("skole", AGE_13, "Mer fysisk aktivitet i skoletiden, ikke bare gym.")),
    (T_EARLY, N("ungdom", AGE_13, "Noen voksne å snakke med som ikke er lærere.")),
    (T_WHOLE, N("hjem", AGE_67, "Hjemmetjenesten kommer til ulik tid hver dag. Si når.")),
    (T_WHOLE, N("kick", AGE_40, "Pårørende trenger et sted å møte andre i samme situasjon.")),
    (T_SKILLS, N("naering", BUS, "Kommunen burde ta inn lærlinger innen IKT.")),
    (T_SKILLS, N("digital", AGE_20, "Kurs for foreldre om nettvett og skjermtid.")),
    (T_QUALITY, N("bibliotek", AGE_20, "Ladestasjoner for elsykkel ved rådhuset.")),
    (T_EARLY, N("vandring", AGE_20, "Lekeplassen i Bakkehaugen er slitt og har ingen skygge.")),
]

# Not sorted yet: the organisers are still reading.
OPEN = [
    N("gate", AGE_13, "Gratis wifi i hele sentrum."),
    N("torget", AGE_67, "Mer blomster i sentrum, det gjør folk glade."),
    N("senior", AGE_67, "Korsang for eldre på dagtid."),
    N("frivillig", VOL, "En felles kalender for alt som skjer i lag og foreninger."),
    N("ungdom", AGE_13, "Et e-sportrom på ungdomsklubben."),
    N("naering", BUS, "Del opp anbudene så små bedrifter kan være med."),
    N("bibliotek", AGE_67, "Lesestund for voksne med demens."),
    N("digital", AGE_40, "Kommunens nettsider er vanskelige å lese på mobil."),
    N("skole", AGE_13, "Flere benker og tak over sykkelstativet i skolegården."),
    N("vandring", AGE_40, "Stativ med hundeposer langs turstien rundt vannet."),
    N("gate", AGE_67, "Flere HC-parkeringsplasser ved legesenteret."),
    N("kick", AGE_20, "Barnehageplass hele året, ikke bare ved opptaket i august."),
    N("hjem", AGE_67, "Hjelp til å skifte lyspærer og andre småting i huset."),
    N("torget", AGE_13, "Skatepark i sentrum!"),
]


def seed() -> str:
    process = Process.objects.filter(slug=SLUG).first()
    if process is None:
        organiser = _organiser()
        if organiser is None:
            return ""
        with transaction.atomic():
            # Nobody gets e-mail about demo data; the search step indexes the ideas after.
            queued_before = len(connection.run_on_commit)
            process = _build(organiser)
            del connection.run_on_commit[queued_before:]
    inputs = Input.objects.filter(meeting__process=process)
    ideas = inputs.exclude(idea=None).values("idea").distinct().count()
    return (
        f"{process.meetings.count()} meeting points, {inputs.count()} inputs, "
        f"{ideas} ideas from inputs"
    )


# After the region (80), and after main's projects (85) and gains (86), which pick their
# ideas by title and never these; before the search index (90) takes in its ideas.
@demo.step(87, "co-creation")
def seed_step() -> str:
    return seed()


def _organiser() -> User | None:
    unit = Unit.objects.filter(slug=ORGANISING_UNIT).first()
    if unit is None:
        return None
    return unit.staff.filter(is_active=True).order_by("pk").first()


def _build(organiser: User) -> Process:
    unit = Unit.objects.get(slug=ORGANISING_UNIT)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    today = timezone.localdate()
    process = services.process_create(
        by=organiser,
        title="Løsningsjakten i Fjordvik",
        slug=SLUG,
        aim="Hva skal til for et godt liv i Fjordvik, hele livet? Vi leter etter løsninger "
        "sammen med innbyggere, lag og foreninger, skoler og næringsliv, og møter folk der "
        "de er: på torget, på skolen, hjemme og på nett.",
        starts_on=today - datetime.timedelta(days=115),
        ends_on=today + datetime.timedelta(days=45),
        organising_unit=unit,
        theme=themes[T_WHOLE],
        partners=Organisation.objects.filter(organisation_number__in=[IDRETTSLAGET, FJORDTECH]),
        other_partners="Nordbyen ungdomsskole, Frivilligsentralen, Fjordvik seniorsenter og "
        "Fjordvik bibliotek.",
        methods="Verksteder, stands, skolebesøk, hjemmebesøk, gateintervjuer, "
        "nærmiljøvandring og digitale møter.",
        is_published=True,
    )
    meetings = {
        demo_meeting.key: _meeting(process, organiser, demo_meeting) for demo_meeting in MEETINGS
    }

    record = _recorder(organiser, meetings)
    for theme, item in SORTED:
        services.inputs_sort(
            process=process, by=organiser, inputs=[record(item)], theme=themes[theme]
        )
    for item, kind, text in ANSWERED:
        services.input_answer(item=record(item), by=organiser, answer=kind, text=text)
    for item in OPEN:
        record(item)
    for demo_idea in IDEAS:
        _idea(process, organiser, demo_idea, record, themes[demo_idea.theme])
    return process


def _meeting(process: Process, organiser: User, spec: DemoMeeting) -> MeetingPoint:
    day = timezone.localdate() + datetime.timedelta(days=spec.days)
    starts = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(int(spec.hour), int(spec.hour % 1 * 60)))
    )
    upcoming = spec.days > 0
    meeting = services.meeting_create(
        process=process,
        by=organiser,
        values={
            "kind": spec.kind,
            "title": spec.title,
            "description": spec.description,
            "place": spec.place,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=spec.hours),
            "accessibility": spec.accessibility,
            "is_public": spec.is_public,
            "capacity": spec.capacity,
            "registration_open": upcoming and spec.is_public,
        },
    )
    for name, email in spec.registrations:
        services.registration_create(meeting=meeting, name=name, email=email)
    if spec.attendance:
        counts = dict(spec.attendance)
        ages = sum(count for group, count in counts.items() if group.startswith("age_"))
        roles = sum(count for group, count in counts.items() if not group.startswith("age_"))
        services.attendance_record(
            meeting=meeting, by=organiser, total=max(ages, roles), counts=counts
        )
    return meeting


def _recorder(organiser: User, meetings: dict[str, MeetingPoint]):
    """Record one input as it came in at its meeting, dated during the meeting."""
    minutes: dict[str, int] = {}

    def record(item: DemoInput) -> Input:
        meeting = meetings[item.meeting]
        data = services.InputData(
            text=item.text,
            channel=CHANNELS[meeting.kind],
            participant_group=item.group,
            giver_email=item.email,
        )
        if item.meeting in SELF_SERVICE_MEETINGS and item.group.startswith("age_"):
            recorded = services.input_leave(meeting=meeting, by=AnonymousUser(), data=data)
        else:
            recorded = services.input_record(meeting=meeting, by=organiser, data=data)
        minutes[item.meeting] = minutes.get(item.meeting, 0) + 7
        when = meeting.starts_at + datetime.timedelta(minutes=minutes[item.meeting])
        Input.objects.filter(pk=recorded.pk).update(created_at=when)
        return recorded

    return record


def _idea(process: Process, organiser: User, spec: DemoIdea, record, theme: Theme) -> Idea:
    inputs = [record(item) for item in spec.inputs]
    services.inputs_sort(process=process, by=organiser, inputs=inputs, theme=theme)
    first = inputs[: len(inputs) - spec.attach_later]
    idea = services.idea_from_inputs(
        process=process,
        by=organiser,
        inputs=first,
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
    )
    if spec.attach_later:
        services.inputs_attach(
            process=process, by=organiser, inputs=inputs[len(first) :], idea=idea
        )
    # Written up a week after the last of its inputs came in.
    latest = max(
        Input.objects.filter(pk__in=[i.pk for i in first]).values_list("created_at", flat=True)
    )
    written = latest + datetime.timedelta(days=7)
    Idea.objects.filter(pk=idea.pk).update(
        created_at=written, updated_at=written, status_changed_at=written
    )
    IdeaEvent.objects.filter(idea=idea).update(created_at=written)
    _move_on(idea, spec, organiser)
    return idea


def _move_on(idea: Idea, spec: DemoIdea, fallback: User) -> None:
    """Take the idea as far as the demo says, as staff of its owning unit."""
    if spec.status == S.SUBMITTED:
        return
    idea.refresh_from_db()
    unit = idea.owning_unit
    staff = unit.staff.filter(is_active=True).order_by("pk").first() if unit else None
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    by = staff or admin or fallback
    actions.idea_transition(idea=idea, to=S.IN_REVIEW, by=by)
    if spec.status in (S.ACCEPTED, S.IMPLEMENTED):
        actions.idea_transition(idea=idea, to=S.ACCEPTED, by=by, public_reason=spec.public_text)
    if spec.status == S.IMPLEMENTED:
        actions.idea_transition(idea=idea, to=S.IMPLEMENTED, by=by, public_reason=spec.result)
