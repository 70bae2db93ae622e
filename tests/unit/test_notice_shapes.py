"""Round 2 of making the item checker generalise: each weak item's statement is recognised by its shape
(a verb of getting data followed by where it comes from, an interest basis next to what it serves, a
place the data is kept, a name next to a postal address), not by a list of the sources, interests or
places one set of notices happened to use. Paraphrases a municipality, a union, a shop, an app developer
or a UK public body might write (bokmål and nynorsk) must count; decoys with the same words must not.
Every sentence here was made up for the test; none is copied from a benchmark notice."""

from __future__ import annotations

import re

import pytest

from privacyscan.notice.items import compile_alternatives, compile_pattern, notice_patterns
from privacyscan.notice.text import sentences

from .notice_samples import ANONYMOUS_EN, FRAME_EN, FRAME_NO, is_present
from .test_notice_generalisation import PHRASEBOOK_ABSENT, PHRASEBOOK_PRESENT

# ------------------------------------------------------------------ 11: where the data comes from


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        # passive Norwegian: "<data> innhentes/hentes/mottas fra <anything>"
        ("Opplysningene innhentes fra medlemmene selv og fra arbeidsgiveren din.", FRAME_NO),
        ("Adressen din hentes automatisk fra Folkeregisteret.", FRAME_NO),
        ("Opplysningane vert henta frå skulen barnet går på.", FRAME_NO),
        ("Desse opplysningane er innhenta frå Lånekassen.", FRAME_NO),
        ("Personalia er hentet fra Det sentrale folkeregisteret.", FRAME_NO),
        ("Opplysninger om eiendommen mottas fra Kartverket.", FRAME_NO),
        # active Norwegian: "vi får/mottar/henter <data> fra <anything>" and "<data> som vi får fra ..."
        ("Vi mottar kontaktopplysninger fra barnehagen når barnet får plass.", FRAME_NO),
        (
            "Vi henter inntektsopplysninger fra Skatteetaten ved søknad om redusert foreldrebetaling.",
            FRAME_NO,
        ),
        ("Helseopplysninger som vi får direkte fra foreldrene, lagres i en låst perm.", FRAME_NO),
        ("Vi får fødselsnummeret ditt fra ID-porten når du logger inn.", FRAME_NO),
        # a data noun straight before a register: "Opplysninger om firmaet fra Enhetsregisteret"
        ("Opplysninger om firmaet fra Brønnøysundregistrene, slått opp på organisasjonsnummeret.", FRAME_NO),
        # English: "we receive/obtain <data> from <anyone but you>", passive "obtained from ..."
        ("We obtain your address details from the electoral register.", FRAME_EN),
        ("We may receive information about you from the school you attend.", FRAME_EN),
        ("Some contact details we collect from local councils.", FRAME_EN),
        ("Your teacher reference number is retrieved from the Teaching Regulation Agency.", FRAME_EN),
        ("Payment records are received directly from the bank.", FRAME_EN),
        # "you give us <data> by <doing something>"
        ("You may give us information about yourself by completing forms on the website.", FRAME_EN),
        ("You can provide us with your details by calling our office or writing to us.", FRAME_EN),
        ("Information you give us by entering a race is kept on our membership system.", FRAME_EN),
    ],
)
def test_a_statement_of_where_the_data_comes_from_counts(sentence: str, frame: str) -> None:
    assert is_present(sentence, 11, frame)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("We may share data with our partners and with the payment provider.", FRAME_EN),
        ("You can delete your data from the app at any time.", FRAME_EN),
        ("You can remove your name from the mailing list by replying STOP.", FRAME_EN),
        ("Where do we get your data from? Who do we share it with?", FRAME_EN),
        ("We’ll ask if you agree to cookies so that we can get statistics from Google Analytics.", FRAME_EN),
        ("We do not knowingly collect personal information from children under 13.", FRAME_EN),
        ("We collect information from your device in some cases.", FRAME_EN),
        ("You will receive emails from us about your order.", FRAME_EN),
        # what the reader gives "when" they do something is data collected, not where it comes from
        ("We collect the information you give us when you sign up and keep it safe.", FRAME_EN),
        ("Vi sletter opplysningene dine fra medlemsregisteret når du melder deg ut.", FRAME_NO),
        ("Du kan når som helst melde deg ut fra nyhetsbrevet.", FRAME_NO),
        ("Du får e-post fra oss når bestillingen er sendt.", FRAME_NO),
        ("Vi får ikke tilgang til kortnummeret ditt fra betalingsløsningen.", FRAME_NO),
        ("Vi oppdaterer erklæringen fra tid til annen.", FRAME_NO),
    ],
)
def test_sharing_deleting_asking_or_getting_statistics_is_not_the_source(sentence: str, frame: str) -> None:
    assert not is_present(sentence, 11, frame)


# ------------------------------------------------------------------ 3: the legitimate interest described


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        # a purpose clause in the sentence of the interest basis (or the next one), whatever the purpose
        (
            "Av hensyn til sikkerhet og feilsøking (berettiget interesse, bokstav f) lagrer vi en logg.",
            FRAME_NO,
        ),
        (
            "Berettiget interesse (artikkel 6 nr. 1 bokstav f): appen henter værdata for å vise turforslag.",
            FRAME_NO,
        ),
        ("Vi lagrar IP-adressa i 14 dagar av omsyn til tryggleiken (berettiga interesse).", FRAME_NO),
        ("Grunnlaget er en interesseavveiing, slik at vi kan holde oversikt over utlånt utstyr.", FRAME_NO),
        (
            "Server logs are kept under GDPR 6(1)(f), legitimate interests. This is necessary to keep the "
            "site running.",
            FRAME_EN,
        ),
        ("We rely on legitimate interests in order to show you the nearest recycling point.", FRAME_EN),
        (
            "Our legal basis is legitimate interest, so that members can see who else is on the team.",
            FRAME_EN,
        ),
    ],
)
def test_an_interest_basis_next_to_what_it_serves_counts(sentence: str, frame: str) -> None:
    assert is_present(sentence, 3, frame)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("Behandlingsgrunnlag kan være samtykke, avtale eller berettiget interesse.", FRAME_NO),
        ("Grunnlaget er berettiget interesse. For å klage kan du kontakte Datatilsynet.", FRAME_NO),
        ("Legal bases we use: consent, contract, legal obligation and legitimate interests.", FRAME_EN),
        ("We rely on legitimate interests. In order to exercise your rights, write to us.", FRAME_EN),
        (
            "You may object to processing based on legitimate interests in order to protect your privacy.",
            FRAME_EN,
        ),
    ],
)
def test_an_interest_basis_alone_or_next_to_the_readers_own_action_is_not_described(
    sentence: str, frame: str
) -> None:
    assert not is_present(sentence, 3, frame)


# ------------------------------------------------------------------ 6: where the data is kept or sent


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        # the place of the servers, whatever the place
        ("Driften er satt ut til en underleverandør, og serverne befinner seg i Norge.", FRAME_NO),
        ("Servarane våre står i Sverige.", FRAME_NO),
        ("Databasen ligger fysisk i Finland hos vår driftsleverandør.", FRAME_NO),
        ("Our servers are located in Ireland.", FRAME_EN),
        ("The database is hosted in Frankfurt by our cloud provider.", FRAME_EN),
        # the suppliers' origin as a whole
        ("Alle tjenester vi bruker er norske eller europeiske.", FRAME_NO),
        ("Leverandørane er europeiske, unntatt e-posttenesta.", FRAME_NO),
        ("All providers we use are European, except our e-mail service.", FRAME_EN),
        # sending within the EU/EEA
        ("Du kan dele CV-en din med arbeidsgivere i EU/EØS.", FRAME_NO),
        ("We may share your application with partner schools in the EEA.", FRAME_EN),
    ],
)
def test_where_the_data_is_kept_or_sent_counts(sentence: str, frame: str) -> None:
    assert is_present(sentence, 6, frame)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("Our registered office is located in London.", FRAME_EN),
        ("The company is registered in England and Wales.", FRAME_EN),
        ("Vi holder til i Oslo sentrum.", FRAME_NO),
        ("Kontoret vårt ligger i Bergen.", FRAME_NO),
        ("The app is Norwegian and free to use.", FRAME_EN),
        ("Appen er norsk og gratis.", FRAME_NO),
    ],
)
def test_an_office_address_or_where_the_company_is_is_not_a_transfer(sentence: str, frame: str) -> None:
    assert not is_present(sentence, 6, frame)


# ------------------------------------------------------------------ 1: who the controller is and how to reach it

NO_CONTACT_EN = "Privacy policy. We use your email address to send you the newsletter."


@pytest.mark.parametrize(
    "text",
    [
        # the developer named as the one who built the app, an initial not taken for the article "a"
        "A.B. Hansen built the Tidy Notes app as a free app. This service is provided by A.B. Hansen at no "
        "cost. If you have questions, contact me at tidynotes.dev@gmail.com.",
        "Kari Nordmann developed the Fjelltur app. Questions? Write to kari.nordmann@outlook.com.",
        # a registered office with a UK postcode is the contact, no e-mail needed
        NO_CONTACT_EN + " Riverside Trust is the data controller. Our registered office is 12 Mill Lane, "
        "Leeds LS1 4AB.",
        # the brand of a hyphenated or second-level domain written out in prose
        NO_CONTACT_EN + " Fjord-Kaffe sells coffee online. Questions: kundeservice@fjord-kaffe.no.",
        NO_CONTACT_EN + " Ofsted runs this survey. Write to survey.privacy@ofsted.gov.uk.",
    ],
)
def test_a_named_operator_with_a_contact_identifies_the_controller(text: str) -> None:
    assert is_present(text, 1, "")


@pytest.mark.parametrize(
    "text",
    [
        NO_CONTACT_EN + " We built the app to help you plan trips. Contact us at help@gmail.com.",
        # a generator's placeholder left where the developer's name belongs
        NO_CONTACT_EN
        + " Privacy Policy built the Snake Run app as a free app. Contact me at snakerun@gmail.com.",
        NO_CONTACT_EN + " You can complain to the Information Commissioner's Office, Wycliffe House, "
        "Wilmslow SK9 5AF.",
        NO_CONTACT_EN + " Payments are handled by Stripe. Questions about payments: support@stripe.com.",
    ],
)
def test_an_unnamed_operator_or_someone_elses_address_does_not_identify_the_controller(text: str) -> None:
    assert not is_present(text, 1, "")


# ------------------------------------------------------------------ 8: access as the right to check or see the data


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        (
            "You have the right to check the data we hold on you and the right to ask for it to be deleted.",
            FRAME_EN,
        ),
        ("You may see what information we hold about you, and have it corrected.", FRAME_EN),
        ("Du har rett til å se opplysningane vi har om deg, og til å få dei retta.", FRAME_NO),
    ],
)
def test_the_right_to_check_or_see_the_data_is_access(sentence: str, frame: str) -> None:
    assert is_present(sentence, 8, frame)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        (
            "Please check the data you enter before you send the form; you can ask us to delete it later.",
            FRAME_EN,
        ),
        ("Staff can see the information you give at the desk, and you can ask us to correct it.", FRAME_EN),
    ],
)
def test_checking_ones_input_or_staff_seeing_it_is_no_right_of_access(sentence: str, frame: str) -> None:
    assert not is_present(sentence, 8, frame)


# ------------------------------------------------------------------ speed: one word-start test per signal


def test_a_signal_hits_the_same_sentences_as_its_patterns_one_by_one() -> None:
    """The word-start test is hoisted out of the alternatives, which are searched in groups (a notice of
    19k characters went from 0.85 s to under 0.2 s); each pattern must still match exactly where it
    matched on its own."""
    text = " ".join([FRAME_EN, FRAME_NO] + [s for _, s, _ in PHRASEBOOK_PRESENT + PHRASEBOOK_ABSENT])
    corpus = sentences(text)
    checked = 0
    for item in notice_patterns()["items"].values():
        for per_language in item["signals"].values():
            patterns = [p for language in per_language.values() for p in language]
            merged = compile_alternatives(patterns)
            assert merged is not None
            one_by_one = [re.compile(compile_pattern(p), re.IGNORECASE | re.DOTALL) for p in patterns]
            for sentence in corpus:
                expected = any(p.search(sentence) for p in one_by_one)
                assert bool(merged.search(sentence)) == expected, (sentence, patterns)
                checked += expected
    assert checked > 100


# ------------------------------------------------------------------ the same shapes as other writers put them
# How a municipality, a union, a shop, an app developer and a UK public body might each say items 1, 3, 6
# and 11, in bokmål, nynorsk and English: perfect and modal verb forms, headings, a third party passing
# the data on, suppliers' origin, data never leaving a country, a name straight before a postal address.
# Written before the patterns: found at the time 12 of 32, decoys 11 of 11 (the analytics decoys were added
# after 'hvor besøkende kommer fra' turned up on heldout2).

NO_CONTACT_NO = "Personvernerklæring. Vi bruker e-postadressen din til å sende nyhetsbrev."

WRITER_SHAPES_PRESENT: list[tuple[int, str]] = [
    (11, FRAME_NO + " Opplysningene vi behandler kommer fra deg, fra skolen og fra NAV."),
    (11, FRAME_NO + " Opplysningene har vi fått fra arbeidsgiveren din."),
    (11, FRAME_NO + " Vi kan også få informasjon om deg fra kredittopplysningsbyråer."),
    (11, FRAME_NO + " Opplysningane får vi frå skulen."),
    (11, FRAME_NO + " Vi har mottatt opplysningene fra barnevernstjenesten."),
    (11, FRAME_NO + " Hvor opplysningene kommer fra"),
    (11, FRAME_EN + " Your details were passed to us by your employer."),
    (11, FRAME_EN + " The data is provided to us by the Department for Work and Pensions."),
    (11, FRAME_EN + " Where we get your personal data from"),
    (11, FRAME_EN + " Where your information comes from"),
    (11, FRAME_EN + " Your local council shares your address with us so that we can contact you."),
    (
        11,
        FRAME_EN
        + " Sometimes we receive information about you from other organisations, such as the police.",
    ),
    (11, FRAME_EN + " We collect your personal data from HMRC."),
    (3, FRAME_NO + " Vi har en berettiget interesse i å holde nettsiden sikker."),
    (3, FRAME_EN + " We have a legitimate interest in keeping the site secure."),
    (3, FRAME_EN + " Legitimate interests. Those interests are keeping the site secure and fixing faults."),
    (3, FRAME_NO + " Grunnlaget er berettiget interesse: vi må kunne dokumentere hva som er avtalt."),
    (6, FRAME_NO + " Vi bruker Mailchimp, som er et amerikansk selskap."),
    (6, FRAME_EN + " All data is stored on servers within the UK."),
    (6, FRAME_EN + " We do not transfer your data outside the UK."),
    (6, FRAME_EN + " Your data may be transferred overseas."),
    (6, FRAME_NO + " Opplysningene forlater aldri Norge."),
    (6, FRAME_NO + " Vi bruker kun norske leverandører."),
    (6, FRAME_EN + " We only use UK-based suppliers."),
    (6, FRAME_EN + " Your data never leaves the EEA."),
    (6, FRAME_NO + " Opplysningene lagres i Microsofts datasentre i Irland og Nederland."),
    (1, NO_CONTACT_NO + " Appen er utviklet av Ola Nordmann. Kontakt: ola.nordmann@gmail.com."),
    (1, NO_CONTACT_EN + " The developer of this app is Jane Smith. Email me at jane.smith@gmail.com."),
    (
        1,
        NO_CONTACT_EN + " The Department for Education is the data controller. Contact our data protection "
        "officer at https://www.gov.uk/contact-dfe.",
    ),
    (1, NO_CONTACT_NO + " Kontaktinformasjon: Nordlys Sykkel, Storgata 1, 9008 Tromsø."),
    (1, NO_CONTACT_EN + " Contact: Riverside Trust, 12 Mill Lane, Leeds LS1 4AB."),
    (1, NO_CONTACT_NO + " Bergen kommune er behandlingsansvarlig. Kontakt oss på telefon 55 56 55 56."),
]

WRITER_SHAPES_ABSENT: list[tuple[int, str]] = [
    (11, FRAME_EN + " You can share your results with us by email."),
    (11, FRAME_NO + " Du kan hente ut dine data fra appen."),
    (11, FRAME_NO + " Opplysningene overføres fra appen til vår server."),
    (11, FRAME_EN + " Data you send us is encrypted."),
    # analytics: where the visitors come from is not where the data comes from
    (11, FRAME_NO + " Vi bruker statistikk for å se hvor besøkende kommer fra."),
    (11, FRAME_NO + " Informasjonskapslene viser hvor trafikken kommer fra."),
    (11, FRAME_EN + " We use analytics to see where our visitors come from."),
    (6, FRAME_EN + " Files are stored in Google Drive."),
    (6, FRAME_NO + " Vi lagrer data i Microsoft 365."),
    (6, FRAME_EN + " Paper records are kept in a locked cabinet in our London office."),
    # a cloud named as the place says who hosts, not where
    (6, FRAME_EN + " Our database is hosted in AWS."),
    (6, FRAME_NO + " Serverne våre står i Microsoft Azure."),
    # the supervisory authority's address is not the controller's
    (1, NO_CONTACT_NO + " Du kan klage til Datatilsynet, Postboks 458 Sentrum, 0105 Oslo."),
    (
        1,
        NO_CONTACT_EN
        + " You can complain to the Information Commissioner's Office, Wycliffe House, Water Lane, "
        "Wilmslow SK9 5AF.",
    ),
    (1, NO_CONTACT_NO + " Kartdata er levert av Kartverket. Kontakt: post@gmail.com."),
]


# A second blind round on the weak items (found at the time 2 of 13; decoys 5 of 5): a passive "supplied
# by your GP", a purpose given after a label or "because", suppliers in a third country, storage in Europe.
WRITER_SHAPES_PRESENT += [
    (11, FRAME_EN + " Information about you may be supplied by your GP or by social services."),
    (11, FRAME_NO + " Opplysningene er oppgitt av arbeidsgiveren din."),
    (11, FRAME_NO + " Vi får tilsendt opplysninger fra NAV når du søker."),
    (11, FRAME_NO + " Opplysningane vi har om deg, har vi fått frå deg sjølv eller frå foreldra dine."),
    (11, FRAME_EN + " Personal data is also collected from the Land Registry."),
    (3, FRAME_EN + " We rely on legitimate interests, because we need to keep records of our members."),
    (
        3,
        FRAME_EN
        + " Legal basis: legitimate interests (Article 6(1)(f)). Purpose: keeping our services secure.",
    ),
    (3, FRAME_NO + " Behandlingsgrunnlag: berettiget interesse. Formål: å forhindre misbruk av tjenesten."),
    (6, FRAME_NO + " Vi bruker leverandører i USA."),
    (6, FRAME_EN + " Some of our suppliers are based in the United States."),
    (6, FRAME_NO + " Opplysningene lagres hos Microsoft i Europa."),
    (6, FRAME_EN + " Your data is hosted by Amazon Web Services in Europe."),
    (6, FRAME_EN + " Our email provider is a company in the USA."),
]
WRITER_SHAPES_ABSENT += [
    (11, FRAME_EN + " The service is provided by Google."),
    (11, FRAME_EN + " This website is provided by Example Ltd."),
    (11, FRAME_NO + " Tjenesten er levert av Basefarm."),
    (6, FRAME_EN + " We send parcels to customers in the USA and Canada."),
    (6, FRAME_NO + " Vi selger produkter fra leverandører i Europa."),
]


# A third round, on a council, a club and a UK department (found at the time 5 of 7; decoys 2 of 4, both
# from older list patterns: the reader receiving offers or news from someone is not the source).
WRITER_SHAPES_PRESENT += [
    (11, FRAME_NO + " Kommunen henter opplysninger om deg fra Folkeregisteret."),
    (11, FRAME_NO + " Skolen mottar opplysninger om eleven fra barnehagen."),
    (11, FRAME_EN + " The Council receives information about you from the Department for Work and Pensions."),
    (11, FRAME_EN + " The club obtains your contact details from the timing company."),
    (6, FRAME_EN + " All personal data is stored in the UK."),
    (
        1,
        NO_CONTACT_EN
        + " The Department for Culture is the data controller. Data Protection Officer, 100 Parliament Street, London SW1A 2BQ.",
    ),
    (13, FRAME_EN + " We will not use your data for any automated decision making."),
]
WRITER_SHAPES_ABSENT += [
    (11, FRAME_EN + " You may receive marketing emails from our partners if you opt in."),
    (11, FRAME_EN + " You will receive information from third parties about their offers."),
    (11, FRAME_NO + " Du får informasjon fra skolen om endringer."),
    (11, FRAME_NO + " Du kan få tilbud fra samarbeidspartnere."),
    (11, FRAME_EN + " The pixel collects information from the cookies in your browser."),
]


# A nynorsk round (found at the time 7 of 8; decoys 2 of 2; missed: what follows the colon after
# "interesseavveging").
WRITER_SHAPES_PRESENT += [
    (11, FRAME_NO + " Opplysningane blir henta inn frå Folkeregisteret."),
    (11, FRAME_NO + " Vi hentar inn opplysningar om deg frå Lånekassen."),
    (11, FRAME_NO + " Dei fleste opplysningane får vi frå deg."),
    (6, FRAME_NO + " Serverane står i Noreg."),
    (6, FRAME_NO + " Tenestene vi brukar er europeiske."),
    (1, NO_CONTACT_NO + " Nettstaden er driven av Nordlys Sykkel. Ta kontakt på post@nordlyssykkel.no."),
    (3, FRAME_NO + " Grunnlaget er ei interesseavveging: vi treng å vite kven som har lånt utstyr."),
    (3, FRAME_NO + " Vi lagrar loggar av omsyn til tryggleiken, med grunnlag i berettiga interesse."),
]
WRITER_SHAPES_ABSENT += [
    (11, FRAME_NO + " Du kan slette opplysningane frå appen."),
    (6, FRAME_NO + " Kontoret vårt ligg i Bergen."),
]


@pytest.mark.parametrize(("item", "text"), WRITER_SHAPES_PRESENT)
def test_other_writers_shapes_give_their_item(item: int, text: str) -> None:
    assert is_present(text, item, "")


@pytest.mark.parametrize(("item", "text"), WRITER_SHAPES_ABSENT)
def test_other_writers_decoys_do_not_give_the_item(item: int, text: str) -> None:
    assert not is_present(text, item, "")


# ------------------------------------------------------------------ 5 and 8: words defined, and others' access


@pytest.mark.parametrize(
    "sentence",
    [
        "Service Provider means any natural or legal person who processes the data on behalf of the Company.",
        "It refers to third-party companies employed by the Company to facilitate the Service.",
        "Databehandler betyr en som behandler personopplysninger på vegne av den behandlingsansvarlige.",
    ],
)
def test_a_glossary_entry_is_not_a_recipient(sentence: str) -> None:
    assert not is_present(sentence, 5, ANONYMOUS_EN)


@pytest.mark.parametrize(
    "sentence",
    [
        "This means that we share your email address with our newsletter provider.",
        "Dette betyr at vi deler e-postadressen din med leverandøren av nyhetsbrevet.",
    ],
)
def test_an_explanation_that_starts_like_a_glossary_entry_still_names_the_recipient(sentence: str) -> None:
    assert is_present(sentence, 5, ANONYMOUS_EN)


def test_a_recipient_stated_after_a_glossary_still_counts() -> None:
    text = (
        "Service Provider means any person who processes the data on behalf of the Company. "
        "We share your email address with our Service Providers to send the newsletter."
    )
    assert is_present(text, 5, ANONYMOUS_EN)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        (
            "These third parties have access to your personal information. You can ask us to delete your data.",
            FRAME_EN,
        ),
        ("Only our staff have access to the data, and you can ask us to correct it.", FRAME_EN),
        ("Leverandørene våre har tilgang til opplysningene dine. Du kan be oss slette dem.", FRAME_NO),
    ],
)
def test_someone_elses_access_to_the_data_is_no_right_of_access(sentence: str, frame: str) -> None:
    assert not is_present(sentence, 8, frame)


def test_the_readers_access_next_to_others_access_still_counts() -> None:
    text = (
        "Only our staff have access to the data. You have the right to access your personal data and to "
        "have it corrected."
    )
    assert is_present(text, 8)


# ------------------------------------------------------------------ the other items as other writers put them
# A blind round on the items that were not weak: found at the time 31 of 34 (missed: "you gave us your
# consent", "nødvendig for å oppfylle avtalen", nynorsk "gir opplysningar vidare til").

OTHER_ITEMS_PRESENT: list[tuple[int, str]] = [
    (
        2,
        NO_CONTACT_NO
        + " Vi behandler opplysningene for å sende deg nyhetsbrev. Behandlingen skjer med hjemmel i personopplysningsloven § 6 jf. personvernforordningen artikkel 6 nr. 1 bokstav e.",
    ),
    (
        2,
        NO_CONTACT_NO
        + " Formålet er å administrere medlemskapet ditt. Grunnlaget for behandlinga er medlemsavtalen.",
    ),
    (2, NO_CONTACT_EN + " We use your data to process your application. Our lawful basis is public task."),
    (
        2,
        NO_CONTACT_EN
        + " We need your email address to send the newsletter. You gave us your consent to do this.",
    ),
    (
        2,
        NO_CONTACT_NO
        + " Vi bruker e-posten din til å svare deg. Dette er nødvendig for å oppfylle avtalen med deg.",
    ),
    (7, FRAME_NO + " Opplysningene blir sletta når medlemskapet ditt sluttar."),
    (7, FRAME_NO + " Vi oppbevarer regnskapsbilag i fem år, slik bokføringsloven krever."),
    (7, FRAME_EN + " We will keep your data for 6 years after your last contact with us."),
    (7, FRAME_EN + " Your application is deleted 12 months after the recruitment ends."),
    (7, FRAME_EN + " We hold your information until you close your account."),
    (7, FRAME_NO + " Loggane blir lagra i 90 dagar."),
    (9, FRAME_NO + " Du kan når som helst trekke tilbake samtykket ditt."),
    (9, FRAME_NO + " Du kan når som helst trekkje attende samtykket ditt."),
    (9, FRAME_EN + " Where we rely on your consent, you can withdraw it at any time by emailing us."),
    (
        9,
        FRAME_EN
        + " You can change your mind about cookies at any time in the cookie settings; this withdraws your consent.",
    ),
    (
        10,
        FRAME_NO
        + " Du kan klage til Datatilsynet dersom du meiner vi handsamar opplysningane i strid med regelverket.",
    ),
    (10, FRAME_EN + " You have the right to complain to the ICO."),
    (
        10,
        FRAME_EN
        + " If you are unhappy with how we have used your data, you can contact the Information Commissioner's Office.",
    ),
    (10, FRAME_NO + " Du har rett til å sende klage til tilsynsmyndigheten."),
    (12, FRAME_NO + " Du må oppgi e-postadresse for å bli medlem. Uten den kan vi ikke registrere deg."),
    (
        12,
        FRAME_EN
        + " You are not obliged to give us your phone number, but if you don't we cannot call you back.",
    ),
    (
        12,
        FRAME_EN
        + " Giving us this information is a statutory requirement. If you do not provide it, we may not be able to process your claim.",
    ),
    (13, FRAME_NO + " Vi tar ikke automatiserte avgjørelser om deg."),
    (13, FRAME_NO + " Vi brukar ikkje automatiserte avgjerder eller profilering."),
    (13, FRAME_EN + " No decisions about you are made by automated means."),
    (13, FRAME_EN + " We do not use profiling or automated decision-making."),
    (5, FRAME_NO + " Opplysningene deles ikke med andre, men vi bruker Microsoft som databehandler."),
    (5, FRAME_EN + " We use Mailchimp to send our newsletter, so your email address is stored by Mailchimp."),
    (5, FRAME_NO + " Vi gir opplysningar vidare til Statens vegvesen når lova krev det."),
    (4, NO_CONTACT_EN + " We collect your name, postal address and date of birth."),
]

OTHER_ITEMS_ABSENT: list[tuple[int, str]] = [
    (
        13,
        FRAME_EN
        + " You have the right not to be subject to a decision based solely on automated processing.",
    ),
    (10, FRAME_EN + " Complaints about our products should be sent to our customer service."),
    (9, FRAME_EN + " You can unsubscribe from the newsletter at any time."),
    (7, FRAME_EN + " You can delete your account at any time."),
]


@pytest.mark.parametrize(("item", "text"), OTHER_ITEMS_PRESENT)
def test_other_items_as_other_writers_put_them(item: int, text: str) -> None:
    assert is_present(text, item, "")


@pytest.mark.parametrize(("item", "text"), OTHER_ITEMS_ABSENT)
def test_other_items_decoys(item: int, text: str) -> None:
    assert not is_present(text, item, "")
