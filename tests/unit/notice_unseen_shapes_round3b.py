"""Round 3, second batch: the items the first batch left out (purposes with their basis, categories,
recipients, transfers, automated decisions) and more nynorsk and English for the others, as a school, a
GP, a sports club, a housing co-op, a church, a SaaS firm, a webshop or a municipality would write them.
Run through the round-2 checker first (figures in docs/notice-round3.md)."""

from __future__ import annotations

from .notice_unseen_shapes_round3 import OTHER_RIGHT_EN

OTHER_RIGHT_NN = " Du kan òg be oss retta eller sletta opplysningane."

GIVEN: dict[int, list[str]] = {
    2: [
        "Skulen behandlar opplysningane for å følgje opp eleven, med heimel i opplæringslova.",
        "Vi bruker opplysningene til å sende faktura for husleie; grunnlaget er leieavtalen med deg.",
        "Formålet er å føre medlemsregister. Behandlingsgrunnlaget er personvernforordningen art. 6 nr. 1 bokstav b.",
        "Kyrkjelyden nyttar opplysningane til å sende ut invitasjonar til konfirmasjon, med grunnlag i samtykket ditt.",
        "We use your details to book appointments; the lawful basis is the performance of a contract with you.",
        "The purpose is to run the club's membership; we rely on your consent.",
        "We process it in order to invoice you, which is necessary for the performance of our contract.",
        "The council uses the data to assess your application under its public task (Article 6(1)(e)).",
        "The surgery processes your health data to provide care; the legal basis is Article 9(2)(h) and 6(1)(c).",
        "Opplysningene brukes til å levere varene du har bestilt, fordi det er nødvendig for å oppfylle kjøpsavtalen.",
    ],
    4: [
        "Vi registrerer namn, adresse og fødselsdato til medlemene.",
        "Kva opplysningar vi lagrar: namn, e-postadresse og telefonnummer.",
        "Vi behandler følgende opplysninger: navn, leilighetsnummer og andelsnummer.",
        "Vi lagrer helseopplysninger i pasientjournalen.",
        "We hold the following information: your name, date of birth and NHS number.",
        "The categories of personal data are contact details and payment information.",
        "We collect your email address and billing address when you order.",
        "We store usage data and IP addresses in our logs.",
        "Types of data: name, email, phone number.",
        "Skulen registrerer opplysningar om elevane sitt fravær og karakterar.",
    ],
    5: [
        "Opplysningane vert delte med NIF og særforbundet.",
        "Vi deler opplysningene med regnskapsføreren vår.",
        "Vi gir opplysninger videre til forretningsfører OBOS.",
        "Personopplysningane kan bli utleverte til Statens vegvesen.",
        "We share your details with our payment processor Stripe.",
        "Your data is disclosed to the diocese and the parish council.",
        "Recipients: our hosting provider and our accountants.",
        "We pass your order details to the courier who delivers it.",
        "The surgery may share your records with the hospital that treats you.",
        "We use processors (data processors) such as Microsoft and Mailchimp.",
    ],
    6: [
        "Opplysningane vert ikkje overførte til land utanfor EU/EØS.",
        "Data lagres på servere i Norge.",
        "Dataene blir lagret hos Microsoft i EU.",
        "Vi overfører ikke personopplysninger ut av EØS.",
        "Some of our suppliers are in the USA; transfers rely on standard contractual clauses.",
        "Your data never leaves the European Economic Area.",
        "Our servers are located in Frankfurt, Germany.",
        "We transfer data to the United States under the EU-US Data Privacy Framework.",
        "All data is stored within the EU.",
        "Data may be processed outside the EEA, where we use the Commission's standard contractual clauses.",
    ],
    13: [
        "Vi brukar ikkje automatiserte avgjerder eller profilering.",
        "Vi bruker ikke automatiserte beslutninger.",
        "Det skjer ingen automatisk avgjørelse eller profilering.",
        "We do not make automated decisions about you.",
        "We do not use profiling or automated decision-making.",
        "No decisions are made by automated means.",
        "We use automated decision-making to assess credit risk.",
        "Automated decision-making: none.",
        "Vi bruker profilering for å tilpasse tilbud til deg.",
    ],
    7: [
        "Opplysningane vert lagra så lenge du er medlem, og sletta seinast eitt år etter utmelding.",
        "We keep membership records for six years after you leave the club.",
        "Baptism registers are kept permanently.",
    ],
    8: [
        "Du har rett til innsyn i opplysningane vi har om deg." + OTHER_RIGHT_NN,
        "You have the right to obtain a copy of your information." + OTHER_RIGHT_EN,
        "You can download an export of your account data at any time." + OTHER_RIGHT_EN,
    ],
    9: [
        "Du kan når som helst trekkje samtykket attende.",
        "You can withdraw consent by clicking unsubscribe in any e-mail.",
    ],
    10: [
        "Du har rett til å klage til Datatilsynet.",
        "You can lodge a complaint with the supervisory authority in your country.",
        "You may complain to the Information Commissioner's Office.",
    ],
    11: [
        "Opplysningane vert henta frå Folkeregisteret.",
        "We receive your details from your local authority.",
        "Information about your child is provided by the school.",
    ],
}

# Still missed: handling a case "automatically" says nothing about decisions unless a decision is named.
MISSED: dict[int, list[str]] = {
    13: ["Søknaden din vert ikkje handsama automatisk; ein sakshandsamar vurderer han."],
}

NOT_GIVEN: dict[int, list[str]] = {
    5: [
        # sharing with the reader or with no one ("we never share", which does answer the item) aside
        "We send your receipt to you by e-mail.",
        "Vi sender kvitteringen til deg på e-post.",
        "Please give your consent to the newsletter.",
        "If we have handed out your data to other businesses and you ask for deletion, we pass this on to them.",
        "Dersom vi har delt opplysningene med andre og du ber om sletting, gir vi dem beskjed.",
    ],
    2: [
        "Personvern er eit lovpålagt vern av privatlivet.",
    ],
    6: [
        "Our office is located in London.",
        "Kontoret vårt ligg i Bergen.",
    ],
    13: [
        "You have the right not to be subject to automated decisions.",
    ],
}
