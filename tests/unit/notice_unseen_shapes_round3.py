"""Round 3 of issue 16 item 3: how notices of kinds in no labelled set (school, GP, sports club, housing
co-op, church, SaaS, webshop, municipality, notices naming foreign DPAs) would state an item, made up
before the checker was changed on them. Used by test_notice_unseen_shapes.py; the hit rates before and
after the round are in docs/notice-round3.md."""

from __future__ import annotations

OTHER_RIGHT_EN = " You can also ask us to correct or delete it."
OTHER_RIGHT_NO = " Du kan også be oss rette eller slette opplysningene."

# item -> texts that give the item (each a notice fragment on its own)
GIVEN: dict[int, list[str]] = {
    1: [
        "Borettslaget Solsiden (Org.no: 948 123 456) er behandlingsansvarleg. Adresse: Solveien 2, 0871 Oslo.",
        "Sandnes IL, org.nr. 971 234 567, Idrettsveien 1, 4306 Sandnes, er ansvarlig for personopplysningene.",
        "Kyrkjelydsrådet i Voss sokn (org. nummer 976 543 210) er ansvarleg. Kontakt: post@vosskyrkje.no.",
        "Nettbutikken drives av Grønn Handel AS, Storgata 5, 3015 Drammen.",
        "Harbour Dental Ltd (company number 08123456) is the data controller. Email: info@harbourdental.co.uk.",
        "Tietotupa Oy (Business ID 2345678-9), Mannerheimintie 10, 00100 Helsinki, is responsible for your data.",
        "The controller is Riverside Rowing Club, 4 Quay Street, Cambridge CB5 8AB.",
        "Acme Cloud BV (KvK 12345678) is the controller; contact privacy@acmecloud.nl.",
        "Vestby kommune er behandlingsansvarlig. Postadresse: Postboks 144, 1541 Vestby.",
        "Legekontoret Sentrum AS, Kirkegata 3, 7013 Trondheim, er ansvarlig for behandlingen.",
    ],
    3: [
        "Grunnlaget er en interesseavveining, hvor klubbens behov for å drive trening veier tyngre enn ulempen for deg.",
        "Behandlingen av medlemsregisteret bygger på berettiget interesse, siden laget må vite hvem som er med.",
        "Behandlinga skjer på grunnlag av interesseavveging, der omsynet til tryggleiken til elevane vert vekta.",
        "Rettsgrunnlaget for formål 3 og 4 er vår berettigede interesse.",
        "We rely on legitimate interests, as we need to keep the church's electoral roll up to date.",
        "The basis is our legitimate interest, where we need to protect the shop against fraud.",
        "For purposes 2 and 5 we rely on our legitimate interests.",
        "Legitimate interest: keeping the club's records accurate.",
        "We process it under Article 6(1)(f) GDPR in order to keep the platform secure.",
        "Vi behandler opplysningene med grunnlag i personvernforordningen artikkel 6 nr. 1 bokstav f for å hindre misbruk.",
    ],
    7: [
        "Storage time: 10 years after the end of the contract.",
        "Retention period: 24 months after your last order.",
        "Journals are kept as required by the law on patient records.",
        "We will hold your information only for as long as we are legally required to.",
        "Oppbevaringstid: 5 år etter at medlemskapet er avsluttet.",
        "Lagringstida er tre år etter siste innlogging.",
        "Pasientjournalen lagres i henhold til journalforskriften.",
        "Fakturaer oppbevares i samsvar med bokføringsloven.",
        "Opplysningane vert sletta 12 månader etter at kontrakten er avslutta.",
        "Data are deleted 30 days after the end of the subscription.",
    ],
    8: [
        "Access: You may ask to see the personal information we hold about you." + OTHER_RIGHT_EN,
        "You have the right to: - a copy of that personal data" + OTHER_RIGHT_EN,
        "Parents may request to view the records the school keeps about their child." + OTHER_RIGHT_EN,
        "You can ask for a copy of the personal data we hold about you." + OTHER_RIGHT_EN,
        "You are entitled to request access to your personal data." + OTHER_RIGHT_EN,
        "Du kan be om å få se opplysningene vi har om deg." + OTHER_RIGHT_NO,
        "Du har rett til innsyn i opplysningane om deg." + OTHER_RIGHT_NO,
        "Du kan krevje innsyn i journalen din." + OTHER_RIGHT_NO,
        "Du kan be om kopi av personopplysningene dine." + OTHER_RIGHT_NO,
        "Du kan få vite hvilke opplysninger vi har registrert om deg." + OTHER_RIGHT_NO,
        "You have the right to request: - a copy of that personal data - that anything inaccurate is corrected",
    ],
    9: [
        "Tilbaketrekking av samtykke: du kan når som helst gjøre dette i appen.",
        "Tilbakekalling av samtykke skjer ved å sende en e-post til oss.",
        "Du kan trekke samtykket ditt tilbake når som helst.",
        "Du kan når som helst trekkje attende samtykket ditt.",
        "Withdrawal of consent: email us and we will stop.",
        "You may withdraw your consent at any time.",
        "Revoking your consent does not affect processing before the revocation.",
        "Where we rely on consent, you can withdraw it at any time.",
        "Samtykket kan trekkes tilbake ved å kontakte menigheten.",
        "You can revoke the consent you gave for the newsletter.",
    ],
    10: [
        "You also have the right to lodge a complaint with the Data Protection Ombudsman.",
        "You may complain to the Irish Data Protection Commission (DPC).",
        "You can lodge a complaint with the Autoriteit Persoonsgegevens.",
        "You have the right to complain to the Information Commissioner's Office (ico.org.uk).",
        "You may lodge a complaint with the CNIL.",
        "You can complain to the Belgian Data Protection Authority (APD/GBA).",
        "Du kan klage til Datatilsynet.",
        "Du kan klaga til Datatilsynet dersom du meiner vi bryt regelverket.",
        "You can complain to Integritetsskyddsmyndigheten (IMY).",
        "You may lodge a complaint with the Garante per la protezione dei dati personali.",
    ],
    11: [
        "Kjelder for innhenting av personopplysningar: deg sjølv og skulen.",
        "Kilder for innhenting: folkeregisteret og deg selv.",
        "Ved påmelding til turneringen vert fylgjande data samla inn om deg: namn og e-post.",
        "Vi behandler det du selv sender oss i skjemaet.",
        "The data we collect from you includes your name and address.",
    ],
    12: [
        "Det er frivillig å oppgi personopplysninger, men dersom du unnlater å gjøre det, kan vi ikke levere tjenesten.",
        "Du må oppgi fødselsnummer; uten dette kan vi ikke melde deg på.",
        "Providing your e-mail is mandatory; without it we cannot send your order confirmation.",
        "You are not obliged to provide the data, but if you do not, we cannot register you as a member.",
        "Fields marked with an asterisk are required.",
        "Opplysningene er obligatoriske. Uten dem kan vi ikke gi deg time.",
        "To register for the course you must provide your name and e-mail.",
        "Provision of the data is a contractual requirement; failure to provide it means we cannot deliver.",
        "Det er ikkje obligatorisk å gje opplysningane, men utan dei kan vi ikkje handsame søknaden.",
        "Felt merket med stjerne er obligatoriske.",
        "Det er frivillig å melde seg inn, men lar du være å oppgi adresse, kan vi i noen tilfeller ikke sende deg bladet.",
    ],
}

# Notices that name the reader as the source only by "data you provide" / "when you ... we collect" /
# "når du ..., samler vi inn": the labels of dev, heldout and heldout2 count these as no source statement
# (sealab, ruizburgos, jaxeandgrace, dentammebever; the bokmål sample of test_notice_items), heldout3's as
# borderline sources, so the checker leaves them out; "samla inn om deg" (collected about you) counts. A third party
# sending data without the word "data" ("your employer may send us your name") is still missed.
UNDECIDED_OR_MISSED: dict[int, list[str]] = {
    11: [
        "Når du bestiller time, samler vi inn navn og fødselsnummer.",
        "The personal data you provide is used for: booking and invoicing.",
        "We collect your name and e-mail when you submit the contact form.",
        "When you register for a class, we collect your name and date of birth.",
        "Your employer may send us your name and work e-mail to set up your account.",
    ],
}

# item -> texts that must not give the item (decoys next to the shapes above)
NOT_GIVEN: dict[int, list[str]] = {
    2: [
        "Personvern er et lovpålagt vern av privatlivet.",
        "Personvern er eit lovpålagt vern av privatliv og personleg integritet.",
    ],
    4: [
        "How do we process your personal data?",
        "Hvordan behandler vi personopplysningene dine?",
    ],
    7: [
        "Storage of cookies is explained below.",
        "Lagring av informasjonskapsler er forklart nedenfor.",
    ],
    8: [
        "Other members may ask to see the team list." + OTHER_RIGHT_EN,
        # no right at all: a security promise and a deletion rule
        "We protect against unauthorised access to your personal data. Your data is deleted after two years.",
    ],
    10: [
        "Contact the Data Protection Officer at dpo@example.org.",
        "Kontakt personvernombudet vårt på e-post.",
    ],
    11: [
        "We never sell the information you provide to third parties.",
        # using the site is no giving of data (the existing bokmål sample keeps item 11 absent on this)
        "Når du bruker nettsiden vår, samler vi inn navn og IP-adresse.",
        # the bokmål labels of heldout2 count signing up for a newsletter as no source statement
        "Når du melder deg på nyhetsbrevet, samler vi inn e-postadressen din.",
        "You can delete the data you provided from your profile.",
        "Where do we get your data from?",
    ],
    12: [
        "Vi samler kun inn personopplysninger som er nødvendige for å kunne tilby helsetjenester.",
        "Dette er nødvendig for å kunne gjennomføre arrangementet.",
        "Vi deler ikke dine personopplysninger med tredjeparter, med mindre det er nødvendig for å oppfylle lovkrav.",
    ],
}
