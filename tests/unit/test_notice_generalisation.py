"""Error mechanisms the item checker had on notices it was not written on, each as a family of phrasings
(synonyms, word order, bokmål/nynorsk, verb and noun forms, statements and questions) that must count, and
decoys that must not. Every sentence here was made up for the test; none is copied from a benchmark notice."""

from __future__ import annotations

import re

import pytest

from privacyscan.notice import assess_notice_text
from privacyscan.notice.items import (
    compile_pattern,
    contact_email_naming_the_controller,
    listed_questions,
)
from privacyscan.notice.model import ItemStatus
from privacyscan.notice.text import sentences

from .notice_samples import ANONYMOUS_EN, FRAME_EN, FRAME_NO, is_present, present_in

# Frames that give purposes but no legal basis, and neither a controller nor a contact.
PURPOSES_ONLY_EN = (
    "Privacy policy. We use your email address to send you the newsletter and to answer questions."
)
PURPOSES_ONLY_NO = (
    "Personvernerklæring. Vi bruker e-postadressen din til å sende nyhetsbrev og svare på spørsmål."
)


# ----------------------------------------------------------------- questions in a list of rights


RIGHTS_QUESTIONS_EN = (
    "You have the right to ask us the following:\n"
    "- Who are the recipients of my data?\n"
    "- How long do you keep my data? What decides how long it is stored for?\n"
    "- Do you make automated decisions about me, and do you use profiling?"
)
RIGHTS_QUESTIONS_NO = (
    "Du kan spørre oss om dette:\n"
    "- Hvem har dere delt opplysningene mine med?\n"
    "- Hvor lenge lagrer dere opplysningene? Hva avgjør hvor lenge de lagres?\n"
    "- Tar dere automatiserte avgjørelser om meg?"
)


@pytest.mark.parametrize(
    ("questions", "frame"), [(RIGHTS_QUESTIONS_EN, FRAME_EN), (RIGHTS_QUESTIONS_NO, FRAME_NO)]
)
@pytest.mark.parametrize("item", [5, 7, 13])
def test_questions_the_reader_may_ask_give_no_information(questions: str, frame: str, item: int) -> None:
    assert not is_present(questions, item, frame)


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("## Hvem deler vi opplysningene med?\nVi lagrer informasjonen hos Heroku.", FRAME_NO),
        ("## Who do we share your data with?\nOur newsletter is sent by Rapidmail.", FRAME_EN),
    ],
)
def test_a_lone_question_heading_followed_by_its_answer_still_counts(text: str, frame: str) -> None:
    assert is_present(text, 5, frame)


def test_listed_questions_are_runs_of_questions_or_questions_the_reader_asks() -> None:
    split = [
        "How long do we keep your data?",  # a heading: alone, asked by the notice
        "We keep it for a year.",
        "Who are the recipients?",  # in a run
        "Is it sent abroad?",
        "Text.",
        "Do you store my IP address?",  # alone but asked by the reader
    ]
    assert listed_questions(split) == [2, 3, 5]


# ----------------------------------------------------------------- 2: a basis that is no basis


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        (
            "If we need to rely on consent as a legal basis and your country requires it, we ask a parent.",
            PURPOSES_ONLY_EN,
        ),
        (
            "We may disclose your data where this is necessary to comply with a legal obligation.",
            PURPOSES_ONLY_EN,
        ),
        (
            "The Company may disclose Your data if necessary to:\n- Comply with a legal obligation",
            PURPOSES_ONLY_EN,
        ),
        ("We never use your data for anything else without your consent.", PURPOSES_ONLY_EN),
        ("The right to erasure does not apply to archiving in the public interest.", PURPOSES_ONLY_EN),
        ("Vi bruker aldri opplysningene til andre formål uten ditt samtykke.", PURPOSES_ONLY_NO),
        ("Hvis vi må be om samtykke fra foresatte, gjør vi det skriftlig.", PURPOSES_ONLY_NO),
        ("Retten til sletting gjelder ikke når vi har en rettslig plikt til å lagre.", PURPOSES_ONLY_NO),
    ],
)
def test_a_hypothetical_negated_or_disclosure_basis_is_not_a_legal_basis(sentence: str, frame: str) -> None:
    assert not present_in(frame + "\n\n" + sentence, 2)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("We process this data on the basis of your consent.", PURPOSES_ONLY_EN),
        ("Our lawful bases are consent and the performance of our contract with you.", PURPOSES_ONLY_EN),
        ("We process it because we have a legal obligation to keep accounting records.", PURPOSES_ONLY_EN),
        ("Behandlingsgrunnlaget er samtykket ditt.", PURPOSES_ONLY_NO),
        (
            "Vi behandler opplysningene fordi vi har en rettslig forpliktelse etter bokføringsloven.",
            PURPOSES_ONLY_NO,
        ),
    ],
)
def test_a_stated_legal_basis_still_counts(sentence: str, frame: str) -> None:
    assert present_in(frame + "\n\n" + sentence, 2)


# ----------------------------------------------------------------- 1: the controller by its brand


@pytest.mark.parametrize(
    "text",
    [
        "We at Fjordlys care about your privacy. Questions? Write to hello@fjordlys.no.",
        "Fjord Lys values your privacy. If you have questions, email privacy@fjordlys.com.",
        "Vi i Tindeklatring tar personvern på alvor. Spørsmål kan sendes til post@tindeklatring.no.",
        "This privacy policy applies to the Star Notes app, created by Bluewhale Studio (hereby referred to as "
        '"Service Provider"). Contact: bluewhale.studio@gmail.com',
    ],
)
def test_a_brand_with_a_contact_address_identifies_the_controller(text: str) -> None:
    assert present_in(text, 1)


@pytest.mark.parametrize(
    "text",
    [
        "We care about your privacy. Questions? Write to fjordlys.app@gmail.com.",
        "We care about your privacy. Questions? Write to hello@fjordlys.no.",
        "We care about your privacy. Visit fjordlys.no or write to hello@fjordlys.no.",
        "We care about your privacy. Visit fjordlys.co.uk or write to hello@fjordlys.co.uk.",
        "Vi bryr oss om personvernet. Besøk fjordlys.fi eller skriv til hei@fjordlys.fi.",
        "Our company cares about your privacy. Write to info@info.no or post@kontakt.no.",
    ],
)
def test_a_free_mailbox_or_an_unnamed_domain_does_not_identify_the_controller(text: str) -> None:
    assert not present_in(text, 1)


def test_the_brand_and_the_address_are_quoted_together() -> None:
    split = sentences("We at MH Tech value your privacy.\n\nQuestions? contact@mhtech.no")
    assert contact_email_naming_the_controller(split) == [0, 1]
    free_mailbox = sentences("Gmail users: we at Fjordlys answer from fjordlys@gmail.com.")
    assert contact_email_naming_the_controller(free_mailbox) == []


# ----------------------------------------------------------------- 7: retention as a criterion or a rule


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("We only keep your data for as long as necessary for these purposes.", FRAME_EN),
        ("Personal data is retained no longer than is necessary.", FRAME_EN),
        ("We keep your account data as long as your account is active.", FRAME_EN),
        ("Server access logs are logged for 30 days.", FRAME_EN),
        ("Your IP address is anonymised immediately after the request.", FRAME_EN),
        ("Vi lagrer ikke opplysningene lenger enn nødvendig.", FRAME_NO),
        ("Opplysningane blir lagra så lenge det er naudsynt.", FRAME_NO),
        ("Tilgangslogger blir logget i 90 dager.", FRAME_NO),
        ("Opplysningene slettes umiddelbart når saken er ferdig.", FRAME_NO),
        ("Die Daten werden nur so lange gespeichert, wie es erforderlich ist.", FRAME_EN),
    ],
)
def test_retention_as_a_criterion_a_log_period_or_immediate_deletion_is_found(
    sentence: str, frame: str
) -> None:
    assert is_present(sentence, 7, frame)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        (
            "It may be required to keep the information confidential for the sake of an investigation.",
            FRAME_EN,
        ),
        ("We store the data for statistics, but do not use it for anything else.", FRAME_EN),
        ("We must answer your request within one month.", FRAME_EN),
        ("All data is stored in Norway.", FRAME_EN),
        ("Vi må svare på henvendelsen din innen en måned.", FRAME_NO),
    ],
)
def test_keeping_for_a_purpose_or_a_reply_deadline_is_not_retention(sentence: str, frame: str) -> None:
    assert not is_present(sentence, 7, frame)


# ----------------------------------------------------------------- 8: rights written with verbs


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("You can request an export of the personal data we hold and ask us to delete it.", FRAME_EN),
        ("You can ask for a copy of your data and request that we erase it.", FRAME_EN),
        (
            "You have the right to access your data and to have the information corrected or deleted.",
            FRAME_EN,
        ),
        ("You may access your information, correct inaccurate details and limit the processing.", FRAME_EN),
        ("Du har rett til å få tilgang til, korrigere eller slette opplysningene dine.", FRAME_NO),
        ("Du kan få kopi av opplysningene og kreve at de slettes.", FRAME_NO),
        ("Du har rett til å få innsyn og kan be oss om å rette feil.", FRAME_NO),
    ],
)
def test_rights_given_as_verbs_are_found(sentence: str, frame: str) -> None:
    assert is_present(sentence, 8, frame)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("You can delete cookies in your browser settings at any time.", FRAME_EN),
        ("You can access your account settings and delete your account.", FRAME_EN),
        ("You have the right to access your data.", FRAME_EN),  # access alone is not enough
        ("Du kan slette informasjonskapsler i nettleseren.", FRAME_NO),
    ],
)
def test_one_right_or_deleting_cookies_is_not_the_rights_item(sentence: str, frame: str) -> None:
    assert not is_present(sentence, 8, frame)


# ----------------------------------------------------------------- 11: data looked up at a sign-in provider


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("We use read-only access to your Facebook account to look up your name and friends list.", FRAME_EN),
        ("When you sign in with Google, Google shares your name and email address with us.", FRAME_EN),
        ("If you log in with Apple, we receive the email address Apple gives us.", FRAME_EN),
        ("Når du logger inn med Vipps, får vi navn og telefonnummer fra Vipps.", FRAME_NO),
    ],
)
def test_data_from_a_sign_in_provider_is_the_source(sentence: str, frame: str) -> None:
    assert is_present(sentence, 11, frame)


@pytest.mark.parametrize(
    "sentence",
    [
        "You can sign in with Google or Apple.",
        "Share this page on Facebook.",
        "Follow us on Facebook and Instagram.",
    ],
)
def test_a_sign_in_button_or_a_share_link_is_not_the_source(sentence: str) -> None:
    assert not is_present(sentence, 11)


# ----------------------------------------------------------------- 12: a requirement tied to its purpose


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("To receive the newsletter, you must provide your email address.", FRAME_EN),
        ("You need to give us your phone number in order to book an appointment.", FRAME_EN),
        ("Du må oppgi e-postadressen din for å motta nyhetsbrevet.", FRAME_NO),
        ("For å bestille time må du oppgi navn og telefonnummer.", FRAME_NO),
    ],
)
def test_a_requirement_tied_to_what_it_is_needed_for_is_item_12(sentence: str, frame: str) -> None:
    assert is_present(sentence, 12, frame)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("You must provide accurate and complete information.", FRAME_EN),
        ("You must be at least 13 years old to use the app.", FRAME_EN),
        ("To exercise your rights, you must provide proof of identity.", FRAME_EN),
        ("To withdraw your consent, you need to send us an email.", FRAME_EN),
        ("Du må oppgi riktige opplysninger.", FRAME_NO),
    ],
)
def test_an_accuracy_age_or_identity_requirement_is_not_item_12(sentence: str, frame: str) -> None:
    assert not is_present(sentence, 12, frame)


# ----------------------------------------------------------------- 13: the right to object is no information


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("You have the right to object to profiling and to automated decisions.", FRAME_EN),
        (
            "You have the right not to be subject to a decision based solely on automated processing.",
            FRAME_EN,
        ),
        ("Du har rett til å motsette deg profilering og automatiserte avgjørelser.", FRAME_NO),
    ],
)
def test_the_right_to_object_to_automated_decisions_says_nothing_on_whether_there_are_any(
    sentence: str, frame: str
) -> None:
    assert not is_present(sentence, 13, frame)


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        ("We do not make automated decisions about you.", FRAME_EN),
        ("You have the right to object to profiling. We make no automated decisions.", FRAME_EN),
        ("Vi bruker ikke automatiserte avgjørelser.", FRAME_NO),
        ("Det blir ikkje gjort automatiserte avgjerder.", FRAME_NO),
    ],
)
def test_a_statement_on_automated_decisions_counts(sentence: str, frame: str) -> None:
    assert is_present(sentence, 13, frame)


# ----------------------------------------------------------------- 4 and 5: app identifiers, search engines


def test_an_advertising_identifier_is_a_category_of_data() -> None:
    assert present_in("Privacy policy. Note that the Android advertising ID is collected automatically.", 4)
    assert not present_in("Privacy policy. You can change your advertising preferences in settings.", 4)


@pytest.mark.parametrize(
    "sentence",
    [
        "You can also ask search engines such as Google to remove a search result about you.",
        "Du kan be søkemotorer som Google om å fjerne et søketreff.",
    ],
)
def test_a_search_engine_in_a_rights_paragraph_is_not_a_recipient(sentence: str) -> None:
    assert not present_in(ANONYMOUS_EN + "\n\n" + sentence, 5)


# ----------------------------------------------------------------- text: hard wraps


def test_a_hard_wrap_before_a_capitalised_word_is_undone_but_a_heading_is_kept() -> None:
    text = (
        "Have you handed out my data? If so, who are the recipients? If a recipient is outside the\n"
        "EU/EEA, what can you guarantee?\n"
        "# Retention\n"
        "We keep data for a year."
    )
    assert sentences(text) == [
        "Have you handed out my data?",
        "If so, who are the recipients?",
        "If a recipient is outside the EU/EEA, what can you guarantee?",
        "Retention",
        "We keep data for a year.",
    ]
    # decoys: a long heading, a heading after a full-width line, and a short line are never continued
    long_heading = "# What we do with the data you give us when you order from the shop online\nWe keep it."
    assert sentences(long_heading) == [
        "What we do with the data you give us when you order from the shop online",
        "We keep it.",
    ]
    heading_after_wrap = "We keep the data you give us when you order from the shop for as long as the\n# Retention"
    assert sentences(heading_after_wrap)[-1] == "Retention"
    assert sentences("Privacy policy\nWe keep data for a year.") == ["Privacy policy", "We keep data for a year."]


# ----------------------------------------------------------------- a phrasebook per item
# Written before running the checker on them, as a probe of how far the patterns reach beyond the notices
# they were tuned on (29 of 40 found and 21 of 21 decoys clean at the time); bokmål, nynorsk and English,
# with the frame giving everything else.

PHRASEBOOK_PRESENT: list[tuple[int, str, str]] = [
    (1, "Ansvarlig for nettstedet er Kari Nordmann, kari@nordmann.example.", "bare"),
    (1, "The data controller is Bluebird Apps. You can reach us at +44 20 7946 0000.", "bare"),
    (1, "Fjellbu Kafé er ansvarleg for handsaminga av personopplysningane. Telefon 22 33 44 55.", "bare"),
    (
        2,
        "We process your data because it is necessary for the performance of a contract with you.",
        "purposes",
    ),
    (2, "Vi behandler opplysningene med hjemmel i personvernforordningen art. 6 (1) b.", "purposes"),
    (2, "Heimelen for handsaminga er samtykke frå deg.", "purposes"),
    (2, "Grunnlaget for behandlingen er at den er nødvendig for å oppfylle avtalen med deg.", "purposes"),
    (3, "We process your IP address based on our legitimate interest in keeping the service secure.", "en"),
    (3, "Vi har ei rettkomen interesse av å følgje opp kundeforholdet.", "no"),
    (3, "Behandlingsgrunnlaget er vår berettigede interesse i å markedsføre egne produkter.", "no"),
    (5, "Our website is hosted by One.com.", "en"),
    (5, "We use Mailchimp to send the newsletter.", "en"),
    (5, "Our web host stores the contact form messages.", "en"),
    (5, "Nettsiden vår ligger hos webhotellet Domeneshop.", "no"),
    (5, "Vi deler ikkje opplysningane med andre.", "no"),
    (5, "We share data with our analytics and advertising partners.", "en"),
    (7, "Vi oppbevarer opplysningene i fem år etter bokføringsloven.", "no"),
    (7, "Opplysningane blir sletta når du melder deg ut.", "no"),
    (7, "Your data is deleted 30 days after you close your account.", "en"),
    (7, "We will retain your information for a period of 24 months.", "en"),
    (8, "You have the right to request access to, correction of, or deletion of your personal data.", "en"),
    (8, "You may request that we provide you with a copy of your data and correct any errors.", "en"),
    (8, "Du har rett til innsyn, retting og sletting.", "no"),
    (8, "Du kan be om innsyn i opplysningane og be om at dei blir retta eller sletta.", "no"),
    (9, "Samtykket kan når som helst trekkes tilbake.", "no"),
    (9, "Du kan trekkje attende samtykket ditt når som helst.", "no"),
    (9, "You may revoke your consent at any time.", "en"),
    (10, "You can lodge a complaint with the Norwegian Data Protection Authority.", "en"),
    (10, "Du kan klage til Datatilsynet dersom du meiner vi bryt regelverket.", "no"),
    (10, "You have the right to complain to the ICO.", "en"),
    (11, "All information is provided by you.", "en"),
    (11, "Vi får opplysningene fra deg.", "no"),
    (11, "Opplysningane kjem frå deg sjølv.", "no"),
    (11, "We only process data you give us yourself.", "en"),
    (12, "You are not obliged to provide personal data, but some features will not work without it.", "en"),
    (12, "Det er frivillig å oppgi telefonnummer, men da kan vi ikke ringe deg tilbake.", "no"),
    (12, "Du må oppgje e-postadressa di for å få nyhendebrevet.", "no"),
    (13, "We do not use automated decision-making or profiling.", "en"),
    (13, "Vi nyttar ikkje automatiserte avgjerder.", "no"),
    (13, "Det blir ikke foretatt profilering.", "no"),
]

PHRASEBOOK_ABSENT: list[tuple[int, str, str]] = [
    (1, "Questions about this policy? Use the form on our website.", "bare"),
    (1, "This policy applies to all users of the app.", "bare"),
    (2, "By using the app you agree to this policy.", "purposes"),
    (
        2,
        "We may update this policy from time to time; continued use means you consent to the changes.",
        "purposes",
    ),
    (3, "We respect the legitimate interests of our users.", "en"),
    (5, "You can share articles with your friends.", "en"),
    (5, "Vi tar personvernet ditt på alvor.", "no"),
    (7, "You can delete your account at any time.", "en"),
    (7, "Vi lagrer informasjonskapsler i nettleseren din.", "no"),
    (8, "Du kan endre innstillingene i appen.", "no"),
    (8, "You can update your profile in the settings.", "en"),
    (9, "You can unsubscribe from the newsletter at any time.", "en"),
    (10, "If you have a complaint about our service, contact customer support.", "en"),
    (10, "Klager på varer behandles etter forbrukerkjøpsloven.", "no"),
    (11, "We collect the following information: name and email address.", "en"),
    (11, "Hvor kommer opplysningene fra? Det kan du spørre oss om.", "no"),
    (12, "You must keep your password secret.", "en"),
    (12, "Du må være over 13 år for å bruke appen.", "no"),
    (12, "If you do not accept cookies, some parts of the site may not work.", "en"),
    (13, "We use your data to make decisions about which products to stock.", "en"),
    (13, "Vi tar avgjørelser om hvilke tjenester vi skal tilby.", "no"),
]

# A second probe, written after the first had been fixed, before running it (32 of 42 found, 20 of 22
# decoys clean at the time).
PHRASEBOOK_PRESENT += [
    (
        1,
        "Kommunen ved kommunedirektøren er behandlingsansvarlig. Postadresse: Postboks 14, 6039 Langevåg.",
        "bare",
    ),
    (1, "Who we are: Greenleaf Labs Oy, Mannerheimintie 1, 00100 Helsinki, Finland.", "bare"),
    (
        1,
        "Nettbutikken drives av Strikkeloftet ENK, org.nr. 912 345 678. Kontakt: hei@strikkeloftet.no",
        "bare",
    ),
    (2, "The processing is based on Article 6(1)(b) GDPR.", "purposes"),
    (2, "Rettsleg grunnlag: samtykke, jf. personvernforordninga artikkel 6 nr. 1 bokstav a.", "formal"),
    (2, "We rely on your consent to send you marketing emails.", "purposes"),
    (2, "Behandlinga skjer på grunnlag av avtale med deg.", "formal"),
    (3, "Legitimate interest: to prevent fraud and secure our systems.", "en"),
    (
        3,
        "Vi behandler IP-adresser basert på berettiget interesse, nemlig å beskytte nettstedet mot angrep.",
        "no",
    ),
    (3, "We have a legitimate interest in understanding how visitors use our website.", "en"),
    (4, "We collect your first name, surname and postal address.", "bare"),
    (4, "Opplysninger vi behandler: navn, adresse og kjøpshistorikk.", "formal"),
    (5, "Betalingen håndteres av Klarna.", "no"),
    (5, "Vi bruker Google Analytics til statistikk.", "no"),
    (5, "Your data may be accessed by our IT support contractor.", "en"),
    (5, "We may disclose your information to law enforcement when required by law.", "en"),
    (6, "Google may transfer data to servers in the USA.", "en"),
    (6, "Opplysningene overføres ikke til land utenfor EØS.", "no"),
    (6, "All data is stored on servers within the EEA.", "en"),
    (6, "Mailchimp er et amerikansk selskap, og opplysningene kan bli overført til USA.", "no"),
    (7, "Log files are automatically deleted after 14 days.", "en"),
    (7, "Vi sletter søknader seks måneder etter at stillingen er besatt.", "no"),
    (7, "Lagringstid: 3 år etter siste kjøp.", "no"),
    (7, "Data will be kept until you ask us to delete it.", "en"),
    (7, "Vi held på opplysningane så lenge du er medlem.", "no"),
    (8, "You have the following rights: access, rectification, erasure, objection.", "en"),
    (8, "Du kan be om å få se hvilke opplysninger vi har om deg, og be om at feil blir rettet.", "no"),
    (8, "You can ask us what information we hold about you and ask us to correct it.", "en"),
    (9, "Consent can be withdrawn at any time by emailing us.", "en"),
    (9, "Du kan når som helst ombestemme deg og trekke samtykket.", "no"),
    (10, "You may also file a complaint with your local data protection authority.", "en"),
    (10, "Du har rett til å klage til Datatilsynet.", "no"),
    (11, "Some information comes from public registers such as Brønnøysundregistrene.", "en"),
    (11, "We receive information about you from our partners.", "en"),
    (11, "Vi henter opplysninger fra Folkeregisteret.", "no"),
    (11, "Opplysningene er gitt av deg når du registrerte deg.", "no"),
    (12, "Providing your email address is mandatory; without it we cannot create your account.", "en"),
    (12, "Felt merket med * må fylles ut, ellers kan vi ikke behandle bestillingen.", "no"),
    (12, "It is voluntary to give us your phone number. If you do not, we cannot call you.", "en"),
    (13, "We do not carry out profiling.", "en"),
    (13, "Automatiserte avgjørelser brukes ikke.", "no"),
    (13, "No decisions are made by automated means.", "en"),
]
PHRASEBOOK_ABSENT += [
    (1, "Contact us using the form below.", "bare"),
    (2, "For the purposes of this policy, 'you' means the user.", "purposes"),
    (2, "Please read the terms and conditions carefully.", "purposes"),
    (3, "We are interested in your feedback.", "en"),
    (5, "Click the share button to post on Facebook.", "bare"),
    (6, "Our company is located in Norway.", "en"),
    (6, "You can use the app anywhere in the world.", "en"),
    (7, "The offer is valid for 30 days.", "en"),
    (7, "Vi har åpent 7 dager i uka.", "no"),
    (7, "We store cookies on your device.", "en"),
    (8, "You can access the app from any device and delete the app at any time.", "en"),
    (9, "You consent to this policy by using the app.", "en"),
    (9, "Du kan melde deg av nyhetsbrevet når som helst.", "no"),
    (10, "Complaints about deliveries can be sent to our customer service.", "en"),
    (10, "Kontakt oss hvis du vil klage på en vare.", "no"),
    (11, "We collect information when you use the app.", "en"),
    (11, "Personal data is information that can identify you.", "en"),
    (12, "You must not share your password with others.", "en"),
    (12, "If you disable cookies, the site may not work properly.", "en"),
    (12, "Du må logge inn for å se ordrehistorikken.", "no"),
    (13, "We make decisions about new features based on user feedback.", "en"),
    (13, "Appen tar automatisk sikkerhetskopi av innstillingene.", "no"),
]

# A third probe, written after the second had been fixed (30 of 35 found, 22 of 22 decoys clean at the
# time; a requirement without its consequence, first written as a positive, is a decoy by the labelling
# rules).
PHRASEBOOK_PRESENT += [
    (1, "Controller: Havbris Seafood AS, Kaiveien 3, 8006 Bodø.", "barn"),
    (
        1,
        "This app is developed and maintained by Pixel Forge Studio. Email: pixelforge.studio@gmail.com",
        "bare",
    ),
    (
        1,
        "Tjenesten leveres av Lofoten Data AS (org.nr. 923 456 789), som er behandlingsansvarlig. Spørsmål kan rettes til personvern@lofotendata.no.",
        "barn",
    ),
    (
        1,
        "Idrettslaget er ansvarlig for behandlingen av personopplysninger. Kontakt styreleder på styret@fjellil.no.",
        "barn",
    ),
    (2, "We process your personal data under Article 6(1)(f) GDPR.", "purposes"),
    (2, "The processing is necessary to fulfil our contract with you.", "purposes"),
    (2, "Vi behandler opplysningene fordi du har samtykket til det.", "formal"),
    (2, "Behandlingen er nødvendig for å oppfylle en rettslig forpliktelse som påhviler oss.", "formal"),
    (
        2,
        "Grunnlaget er personopplysningsloven § 1 og personvernforordningen artikkel 6 nr. 1 bokstav e.",
        "formal",
    ),
    (3, "The legitimate interest we pursue is the security of our IT systems.", "en"),
    (3, "Vår berettigede interesse er å kunne dokumentere hva som er avtalt.", "no"),
    (
        6,
        "Some of our suppliers are based in the United States and process data there under standard contractual clauses.",
        "en",
    ),
    (6, "Vi overfører ikke personopplysninger ut av EU/EØS.", "no"),
    (6, "Dataene lagres på servere i Norge.", "no"),
    (6, "We do not transfer your personal data to countries outside the European Economic Area.", "en"),
    (7, "Regnskapsopplysninger oppbevares i fem år, jf. bokføringsloven.", "no"),
    (7, "Opptak fra kameraovervåking slettes automatisk etter sju dager.", "no"),
    (7, "We retain invoices for 10 years as required by accounting law.", "en"),
    (7, "Personal data is erased once the purpose has been fulfilled.", "en"),
    (8, "Du har rett til å be om innsyn i, retting eller sletting av personopplysningene dine.", "no"),
    (8, "You are entitled to obtain a copy of your data and to have it rectified.", "en"),
    (8, "Du kan krevje innsyn og retting.", "no"),
    (9, "Where we rely on consent, you may withdraw it at any time.", "en"),
    (9, "Samtykket kan trekkes tilbake ved å sende en e-post til oss.", "no"),
    (9, "You can change your mind and withdraw consent whenever you like.", "en"),
    (10, "Du kan også sende klage til Datatilsynet, se datatilsynet.no.", "no"),
    (
        10,
        "If you are unhappy with how we handle your data, you can complain to the Information Commissioner's Office.",
        "en",
    ),
    (10, "Du kan klaga til Datatilsynet.", "no"),
    (11, "Vi får kontaktopplysninger fra arbeidsgiveren din når du meldes på kurs.", "no"),
    (11, "We obtain your contact details from publicly available sources such as company websites.", "en"),
    (12, "Det er ikke obligatorisk å oppgi opplysningene, men uten dem kan vi ikke behandle søknaden.", "no"),
    (
        12,
        "Providing the data is a contractual requirement; if you do not provide it we cannot deliver the service.",
        "en",
    ),
    (13, "We do not use your data for automated decision-making.", "en"),
    (13, "Vi bruker ikkje profilering.", "no"),
]
PHRASEBOOK_ABSENT += [
    (1, "We are a small team that loves cycling.", "bare"),
    (1, "Contact us via the contact form.", "bare"),
    (2, "We process your data in accordance with applicable law.", "purposes"),
    (2, "Behandlingen skjer i tråd med personopplysningsloven.", "formal"),
    (3, "Vi har interesse for sykling og friluftsliv.", "no"),
    (6, "We ship our products to customers all over the world.", "en"),
    (6, "Vi har kontorer i Oslo og Bergen.", "no"),
    (7, "The app remembers your settings.", "en"),
    (7, "Abonnementet løper i 12 måneder.", "no"),
    (7, "Vi lagrer handlekurven din i nettleseren.", "no"),
    (8, "You can change your password at any time.", "en"),
    (8, "Du kan slette appen fra telefonen.", "no"),
    (9, "You can cancel your subscription at any time.", "en"),
    (9, "Du kan når som helst melde deg av nyhetsbrevet.", "no"),
    (10, "Klager på produkter sendes til kundeservice.", "no"),
    (10, "We handle complaints within 14 days.", "en"),
    (11, "We collect data when you create an account.", "en"),
    (11, "Opplysningene vi samler inn er navn og e-post.", "no"),
    (12, "You must accept the terms to use the app.", "en"),
    (12, "Passordet må være minst 8 tegn.", "no"),
    (13, "The app updates automatically.", "en"),
    (13, "Vi gjør en automatisk sikkerhetskopi hver natt.", "no"),
    (12, "You are required by law to provide your national identity number.", "en"),
]

_PHRASEBOOK_FRAMES = {
    "en": FRAME_EN,
    "no": FRAME_NO,
    "bare": "Privacy policy. We process your name and email address to answer your questions.",
    "purposes": PURPOSES_ONLY_EN,
    "formal": PURPOSES_ONLY_NO,
    "barn": "Personvern. Vi behandler navn og e-postadresse for å svare på spørsmål.",
}


@pytest.mark.parametrize(("item", "sentence", "frame"), PHRASEBOOK_PRESENT)
def test_phrasebook_sentences_give_their_item(item: int, sentence: str, frame: str) -> None:
    assert present_in(_PHRASEBOOK_FRAMES[frame] + "\n\n" + sentence, item)


@pytest.mark.parametrize(("item", "sentence", "frame"), PHRASEBOOK_ABSENT)
def test_phrasebook_decoys_do_not_give_the_item(item: int, sentence: str, frame: str) -> None:
    assert not present_in(_PHRASEBOOK_FRAMES[frame] + "\n\n" + sentence, item)


def test_a_device_that_can_access_the_service_is_no_right_of_access() -> None:
    text = "Device: any device that can access the Service, such as a phone. You can request deletion of your data."
    assert not present_in(FRAME_EN + "\n\n" + text, 8)


# ----------------------------------------------------------------- generator templates
# Many small sites and apps publish a generator's text: WordPress's suggested privacy page (English and its
# Norwegian translation) and the app privacy policy generator's "Service Provider" template, as they read
# once filled in (names made up).

WORDPRESS_EN = "Who we are\nOur website address is: https://bakeribua.example.\nComments\nWhen visitors leave comments on the site we collect the data shown in the comments form, and also the visitor's IP address and browser user agent string to help spam detection.\nAn anonymized string created from your email address (also called a hash) may be provided to the Gravatar service to see if you are using it. The Gravatar service privacy policy is available here: https://automattic.com/privacy/. After approval of your comment, your profile picture is visible to the public in the context of your comment.\nCookies\nIf you leave a comment on our site you may opt-in to saving your name, email address and website in cookies. These are for your convenience so that you do not have to fill in your details again when you leave another comment. These cookies will last for one year.\nEmbedded content from other websites\nArticles on this site may include embedded content (e.g. videos, images, articles, etc.). Embedded content from other websites behaves in the exact same way as if the visitor has visited the other website.\nWho we share your data with\nIf you request a password reset, your IP address will be included in the reset email.\nHow long we retain your data\nIf you leave a comment, the comment and its metadata are retained indefinitely. This is so we can recognize and approve any follow-up comments automatically instead of holding them in a moderation queue.\nWhat rights you have over your data\nIf you have an account on this site, or have left comments, you can request to receive an exported file of the personal data we hold about you, including any data you have provided to us. You can also request that we erase any personal data we hold about you. This does not include any data we are obliged to keep for administrative, legal, or security purposes.\nWhere your data is sent\nVisitor comments may be checked through an automated spam detection service."
WORDPRESS_NO = "Hvem vi er\nVår nettstedsadresse er: https://bakeribua.example.\nKommentarer\nNår besøkende legger igjen kommentarer på nettstedet, samler vi inn dataene som vises i kommentarskjemaet, og også den besøkendes IP-adresse og nettleserens user agent-streng for å oppdage spam.\nEn anonymisert streng opprettet fra e-postadressen din (også kalt en hash) kan bli gitt til Gravatar-tjenesten for å se om du bruker den.\nInformasjonskapsler\nHvis du legger igjen en kommentar på nettstedet vårt, kan du velge å lagre navn, e-postadresse og nettsted i informasjonskapsler. Disse informasjonskapslene varer i ett år.\nHvor lenge vi oppbevarer dine data\nHvis du legger igjen en kommentar, blir kommentaren og dens metadata oppbevart på ubestemt tid.\nHvilke rettigheter du har over dine data\nHvis du har en konto på dette nettstedet, eller har lagt igjen kommentarer, kan du be om å motta en eksportert fil med personopplysningene vi har om deg, inkludert alle data du har gitt oss. Du kan også be om at vi sletter alle personopplysninger vi har om deg. Dette inkluderer ikke data vi er forpliktet til å beholde av administrative, juridiske eller sikkerhetsmessige formål.\nHvor vi sender dine data\nBesøkendes kommentarer kan bli sjekket gjennom en automatisert spam-deteksjonstjeneste."
APP_GENERATOR_EN = 'This privacy policy applies to the Pocket Tides app (hereby referred to as "Application") for mobile devices that was created by Lunar Bay (hereby referred to as "Service Provider") as a Free service. This service is intended for use "AS IS".\nInformation Collection and Use\nThe Application collects information when you download and use it. This information may include information such as\nYour device\'s Internet Protocol address (e.g. IP address)\nThe pages of the Application that you visit, the time and date of your visit, the time spent on those pages\nThe operating system you use on your mobile device\nThe Application does not gather precise information about the location of your mobile device.\nThe Service Provider may use the information you provided to contact you from time to time to provide you with important information, required notices and marketing promotions.\nFor a better experience, while using the Application, the Service Provider may require you to provide us with certain personally identifiable information. The information that the Service Provider request will be retained by them and used as described in this privacy policy.\nThird Party Access\nOnly aggregated, anonymized data is periodically transmitted to external services to aid the Service Provider in improving the Application and their service. The Service Provider may share your information with third parties in the ways that are described in this privacy statement.\nThe Service Provider may disclose User Provided and Automatically Collected Information: as required by law, such as to comply with a subpoena, or similar legal process;\nOpt-Out Rights\nYou can stop all collection of information by the Application easily by uninstalling it.\nData Retention Policy\nThe Service Provider will retain User Provided data for as long as you use the Application and for a reasonable time thereafter. If you\'d like them to delete User Provided Data that you have provided via the Application, please contact them at lunarbay.apps@gmail.com and they will respond in a reasonable time.\nChildren\nThe Service Provider does not use the Application to knowingly solicit data from or market to children under the age of 13.\nSecurity\nThe Service Provider is concerned about safeguarding the confidentiality of your information.\nChanges\nThis Privacy Policy may be updated from time to time for any reason.\nYour Consent\nBy using the Application, you are consenting to the processing of your information as set forth in this Privacy Policy now and as amended by us.\nContact Us\nIf you have any questions regarding privacy while using the Application, or have questions about the practices, please contact the Service Provider via email at lunarbay.apps@gmail.com.'


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        (WORDPRESS_EN, {4, 5, 7, 8}, {1, 2, 6, 10, 11, 12, 13}),
        (WORDPRESS_NO, {4, 5, 7, 8}, {1, 2, 6, 10, 11, 12, 13}),
        (APP_GENERATOR_EN, {1, 4, 5, 7}, {2, 6, 8, 10, 12, 13}),
    ],
    ids=["wordpress-en", "wordpress-no", "app-generator-en"],
)
def test_generator_templates_give_the_items_they_state_and_no_others(
    text: str, present: set[int], absent: set[int]
) -> None:
    notice = assess_notice_text(text)
    assert {n for n in present | absent if notice.item(n).status is ItemStatus.present} == present


# ----------------------------------------------------------------- 4 and 5: words with two readings


@pytest.mark.parametrize(
    "sentence",
    [
        "Send your request to the email address indicated in section 7.",
        "The controller can be contacted at the email address privacy@vox.example.",
        "Skriv til vår e-postadresse om du har spørsmål.",
    ],
)
def test_the_controllers_own_email_address_is_no_category_of_data(sentence: str) -> None:
    assert not present_in("Privacy policy.\n\n" + sentence, 4)


@pytest.mark.parametrize(
    "sentence",
    [
        "We store the email address you give us.",
        "Vi lagrer e-postadressen din.",
        "To register you enter your email address.",
    ],
)
def test_the_readers_email_address_is_a_category_of_data(sentence: str) -> None:
    assert present_in("Privacy policy.\n\n" + sentence, 4)


@pytest.mark.parametrize(
    "sentence",
    [
        "Du kan reservere deg mot deler av behandlingen, til eksempel nyhetsbrevet.",
        "Du kan reservera dig från delar av denna behandling genom att till exempel avstå från e-post.",
    ],
)
def test_parts_of_the_processing_are_not_sharing(sentence: str) -> None:
    assert not present_in(ANONYMOUS_EN + "\n\n" + sentence, 5)


def test_sharing_is_still_sharing() -> None:
    assert present_in(ANONYMOUS_EN + "\n\nVi deler opplysningene med regnskapsføreren vår.", 5)


def test_punctuation_may_stand_for_the_space_before_a_wildcard_span() -> None:
    pattern = re.compile(compile_pattern("consent .{0,100}withdraw~"), re.IGNORECASE)
    assert pattern.search("Where we rely on consent, you may withdraw it.")
    assert not pattern.search("Several consents, withdrawals and renewals.")  # still whole words


def test_a_third_partys_address_does_not_identify_the_controller() -> None:
    text = "We use Google Analytics. Questions about it can be sent to Google at privacy@google.com."
    assert contact_email_naming_the_controller(sentences(text)) == []


def test_the_brand_is_the_registrable_domains_own_label() -> None:
    """The brand is read off the registrable domain (public suffix list), so a municipality's or a school's
    suffix ("kommune.no") is no name and the label before it is."""
    municipality = sentences("Vestbygd kommune svarer på spørsmål: postmottak@vestbygd.kommune.no.")
    assert contact_email_naming_the_controller(municipality) == [0]
    suffix_only = sentences("Denne kommune svarer på spørsmål: postmottak@vestbygd.kommune.no.")
    assert contact_email_naming_the_controller(suffix_only) == []
