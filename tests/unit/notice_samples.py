"""Short privacy notices written for the tests (not taken from any site): one compliant notice per
language and a deficient one, so each test reads like the situation it proves."""

from privacyscan.notice import assess_notice_text
from privacyscan.notice.model import ItemStatus

BOKMAL_COMPLIANT = """Personvernerklæring for Fjordbakeriet AS

Fjordbakeriet AS (org.nr. 912 345 678), Bryggen 3, 5003 Bergen, er behandlingsansvarlig for
behandlingen av personopplysningene dine. Du når oss på personvern@fjordbakeriet.no.

Vi behandler navn, e-postadresse, telefonnummer og leveringsadresse når du bestiller.
Formålet er å levere bestillingen. Behandlingsgrunnlaget er avtalen med deg, jf. personvernforordningen artikkel 6 nr. 1 bokstav b.
Nyhetsbrevet sender vi bare med grunnlag i ditt samtykke.
Vi lagrer IP-adressen i serverloggen på grunnlag av vår berettigede interesse i å sikre nettbutikken mot misbruk.

Betalingsleverandøren vår og driftsleverandøren er databehandlere og får tilgang til opplysningene; vi deler dem ikke med andre mottakere.
Statistikk leverer Google Analytics. Google LLC kan behandle opplysningene i USA, og overføringen bygger på EUs standardkontrakter.
Vi lagrer ordreopplysninger i fem år etter kjøpet fordi bokføringsloven krever det. Serverlogger slettes etter 30 dager.

Du har rett til innsyn i opplysningene vi har om deg, og til retting og sletting, begrensning, dataportabilitet og å protestere mot behandlingen.
Du kan når som helst trekke tilbake samtykket ditt til nyhetsbrevet.
Mener du at vi behandler opplysninger i strid med regelverket, kan du klage til Datatilsynet.
Adressen får vi fra deg, men kredittopplysninger innhenter vi fra kredittopplysningsbyrået.
Du må oppgi navn og adresse for å kunne inngå avtalen; uten dem kan vi ikke levere varene.
Vi treffer ingen automatiserte avgjørelser og driver ikke profilering.
"""

NYNORSK_COMPLIANT = """Personvernerklæring for Vestbygd kommune

Vestbygd kommune, Rådhusvegen 1, 6100 Volda, er behandlingsansvarleg. Du kan kontakte oss på postmottak@vestbygd.kommune.no.
Vi behandlar namn, adresse og fødselsnummer for å handsame søknaden om barnehageplass.
Behandlingsgrunnlaget er ei rettsleg plikt etter barnehagelova.
Opplysningane blir lagra så lenge barnet har plass, og blir sletta eitt år etter at plassen er avslutta.
Du har rett til innsyn i opplysningane og til å få retta feil opplysningar.
Du kan klage til Datatilsynet dersom du meiner vi ikkje følgjer regelverket.
"""

ENGLISH_COMPLIANT = """Privacy notice

Harbour Books Ltd (company number 01234567), 2 Quay Street, Bristol, is the controller of your personal data. Contact us at privacy@harbourbooks.co.uk.
We process your name, email address and delivery address to fulfil your order; the legal basis is the performance of our contract with you.
We keep order records for six years because tax law requires it.
Our payment processor and our hosting provider receive your data as processors.
Your data are not transferred outside the EEA.
You have the right to access your data and to rectification, erasure, restriction, objection and portability.
Where we rely on your consent you can withdraw your consent at any time.
You can complain to the Information Commissioner's Office, the UK supervisory authority.
We do not make automated decisions about you.
"""

SWEDISH_COMPLIANT = """Integritetspolicy

Kaffebryggeriet AB, org.nr 556677-8899, Storgatan 5, 111 22 Stockholm, är personuppgiftsansvarig. Kontakta oss på dataskydd@kaffebryggeriet.se.
Vi behandlar namn, e-postadress och telefonnummer för att leverera din beställning. Den rättsliga grunden är att fullgöra avtalet med dig.
Vi sparar uppgifterna i sju år enligt bokföringslagen.
Vårt personuppgiftsbiträde för e-post får tillgång till uppgifterna.
Du har rätt att få tillgång till dina uppgifter och att begära rättelse eller radering.
Du kan lämna klagomål till Integritetsskyddsmyndigheten (IMY).
"""

DANISH_COMPLIANT = """Privatlivspolitik

Møllerens Bageri ApS, CVR-nr. 12345678, Torvet 2, 8000 Aarhus C, er dataansvarlig. Du kan kontakte os på privatliv@moellerens.dk.
Vi behandler navn, e-mailadresse og telefonnummer for at kunne levere dine varer. Retsgrundlaget er opfyldelse af aftalen med dig.
Vi opbevarer oplysningerne i fem år efter købet.
Vores databehandler, en hostingudbyder, har adgang til dine oplysninger.
Du har ret til indsigt i dine oplysninger og ret til berigtigelse og sletning.
Du kan klage til Datatilsynet.
"""

GERMAN_COMPLIANT = """Datenschutzerklärung

Verantwortlich ist die Beispiel Werkstatt GmbH, Hauptstraße 1, 10115 Berlin, E-Mail: datenschutz@beispiel-werkstatt.de.
Wir verarbeiten Name, E-Mail-Adresse und Telefonnummer zur Bearbeitung Ihrer Anfrage. Rechtsgrundlage ist Art. 6 Abs. 1 lit. b DSGVO.
Die Daten werden nach drei Jahren gelöscht.
Empfänger der Daten ist unser Hosting-Dienstleister als Auftragsverarbeiter.
Sie haben das Recht auf Auskunft, Berichtigung und Löschung.
Sie haben das Recht, sich bei einer Aufsichtsbehörde zu beschweren.
"""

# A notice that lists what it collects and why, and nothing else.
BOKMAL_DEFICIENT = """Personvern

Vi bryr oss om personvernet ditt. Når du bruker nettsiden vår, samler vi inn navn, e-postadresse og IP-adresse.
Opplysningene brukes til å svare på henvendelser og til å forbedre nettsiden.
"""


# A notice that gives identity, purposes and basis, so an item's status depends only on the sentence added.
FRAME_NO = (
    "Personvernerklæring for Nordlys Sykkel AS. Nordlys Sykkel AS, Storgata 1, 9008 Tromsø, er "
    "behandlingsansvarlig; e-post personvern@nordlys.example. Vi behandler navn og e-postadresse for å svare på "
    "henvendelser. Behandlingsgrunnlaget er avtalen med deg."
)
FRAME_EN = (
    "Privacy notice of Northlight Cycles Ltd, 1 High Street, York, privacy@northlight.example. We process your "
    "name and email address to answer your enquiries. The legal basis is our contract with you."
)
# A frame with no recipient, controller or contact.
ANONYMOUS_EN = "Privacy policy. We collect your email address to answer your questions."


def status(sentences: str, item: int, frame: str = FRAME_EN) -> ItemStatus:
    """The item's status in `sentences` added to `frame`."""
    return assess_notice_text(frame + "\n\n" + sentences).item(item).status


def is_present(sentences: str, item: int, frame: str = FRAME_EN) -> bool:
    return status(sentences, item, frame) is ItemStatus.present


def present_in(text: str, item: int) -> bool:
    """Whether `text` alone, with no frame, gives the item."""
    return assess_notice_text(text).item(item).status is ItemStatus.present
