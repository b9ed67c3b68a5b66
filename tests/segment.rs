//! Sentence segmentation on real-looking news text in German, English, French, Spanish,
//! Italian and Russian. Every case asserts the exact list of sentences.

use std::collections::HashMap;

use tarjuman::doc::{Block, BlockKind, Detection, DetectionSource, Document, Format};
use tarjuman::segment::{SegmentConfig, Segmenter};
use tarjuman::Lang;

fn lang(code: &str) -> Lang {
    Lang::from_code(code).expect("known language code")
}

/// Splits `text` with the default rules for `code` (empty: no language) and compares.
#[track_caller]
fn check(code: &str, text: &str, expected: &[&str]) {
    let l = (!code.is_empty()).then(|| lang(code));
    let got = Segmenter::default().sentences(text, l);
    assert_eq!(got, expected, "\nlanguage {code:?}, text {text:?}");
}

// ---------------------------------------------------------------------------------------
// German
// ---------------------------------------------------------------------------------------

#[test]
fn de_titles_and_prepositive_abbreviations() {
    check(
        "de",
        "Laut Dr. Müller und Prof. Schmidt ist die Lage ernst. Die Regierung widerspricht.",
        &[
            "Laut Dr. Müller und Prof. Schmidt ist die Lage ernst.",
            "Die Regierung widerspricht.",
        ],
    );
    check(
        "de",
        "Betroffen sind u. a. Berlin und Hamburg, z. B. Altona. Das heißt, d. h. Wahlkreis Nr. 5 ist frei. Vgl. Seite 2.",
        &[
            "Betroffen sind u. a. Berlin und Hamburg, z. B. Altona.",
            "Das heißt, d. h. Wahlkreis Nr. 5 ist frei.",
            "Vgl. Seite 2.",
        ],
    );
    check(
        "de",
        "Das Projekt kostet ca. 3,5 Mio. Euro bzw. 2 Mrd. Euro im Jahr. Gemäß Art. 5 Abs. 2 GG ist das zulässig.",
        &[
            "Das Projekt kostet ca. 3,5 Mio. Euro bzw. 2 Mrd. Euro im Jahr.",
            "Gemäß Art. 5 Abs. 2 GG ist das zulässig.",
        ],
    );
    check(
        "de",
        "Die Kirche St. Marien liegt in der Bahnhofstr. 12 bzw. Goethestr. 3. Sie wurde im 13. Jh. gebaut.",
        &[
            "Die Kirche St. Marien liegt in der Bahnhofstr. 12 bzw. Goethestr. 3.",
            "Sie wurde im 13. Jh. gebaut.",
        ],
    );
}

#[test]
fn de_z_b_without_space_and_sentence_initial() {
    check(
        "de",
        "Viele Städte, z.B. München, verbieten Böller. Z. B. Köln will folgen.",
        &[
            "Viele Städte, z.B. München, verbieten Böller.",
            "Z. B. Köln will folgen.",
        ],
    );
}

#[test]
fn de_ordinary_abbreviations_end_before_capital() {
    check(
        "de",
        "Gefunden wurden Waffen, Munition usw. Die Ermittler prüfen nun die Herkunft.",
        &[
            "Gefunden wurden Waffen, Munition usw.",
            "Die Ermittler prüfen nun die Herkunft.",
        ],
    );
    check(
        "de",
        "Es gab Äpfel, Birnen usw. und viel Gemüse. Die Preise stiegen um 3,5 Prozent.",
        &[
            "Es gab Äpfel, Birnen usw. und viel Gemüse.",
            "Die Preise stiegen um 3,5 Prozent.",
        ],
    );
    // Never before a number.
    check(
        "de",
        "Er nannte Kap. 4 und Abb. 7 als Quelle. Das Buch erschien 1999.",
        &[
            "Er nannte Kap. 4 und Abb. 7 als Quelle.",
            "Das Buch erschien 1999.",
        ],
    );
}

#[test]
fn de_dates_and_ordinals() {
    check(
        "de",
        "Der Anschlag ereignete sich am 28. Juni 2022 gegen 19 Uhr. Die Polizei sprach von drei Toten.",
        &[
            "Der Anschlag ereignete sich am 28. Juni 2022 gegen 19 Uhr.",
            "Die Polizei sprach von drei Toten.",
        ],
    );
    check(
        "de",
        "Gewählt wird am 5. 6. 2022 und erneut am 3. Okt. 2026. Bis 1. März läuft die Frist.",
        &[
            "Gewählt wird am 5. 6. 2022 und erneut am 3. Okt. 2026.",
            "Bis 1. März läuft die Frist.",
        ],
    );
    // No article before the number: the month name alone makes it a date.
    check(
        "de",
        "Berlin, 28. Juni 2022. Stand: 1. Januar, 14 Uhr. Die Zahlen sind vorläufig.",
        &[
            "Berlin, 28. Juni 2022.",
            "Stand: 1. Januar, 14 Uhr.",
            "Die Zahlen sind vorläufig.",
        ],
    );
    check(
        "de",
        "Der 1. FC Köln steigt in die 2. Bundesliga ab. 1. FC Union Berlin bleibt erstklassig.",
        &[
            "Der 1. FC Köln steigt in die 2. Bundesliga ab.",
            "1. FC Union Berlin bleibt erstklassig.",
        ],
    );
    check(
        "de",
        "Das Gebäude stammt aus dem 19. Jahrhundert und wurde im 2. Weltkrieg zerstört. Zum 3. Mal wird es nun renoviert.",
        &[
            "Das Gebäude stammt aus dem 19. Jahrhundert und wurde im 2. Weltkrieg zerstört.",
            "Zum 3. Mal wird es nun renoviert.",
        ],
    );
    // A number that ends the sentence.
    check(
        "de",
        "Details stehen auf Seite 3. Dann folgt ein Interview. Die Zahl der Toten stieg auf 12. Die Lage bleibt angespannt.",
        &[
            "Details stehen auf Seite 3.",
            "Dann folgt ein Interview.",
            "Die Zahl der Toten stieg auf 12.",
            "Die Lage bleibt angespannt.",
        ],
    );
    check(
        "de",
        "Im Jahr 2021 stieg die Zahl auf 15.000. 2022 sank sie wieder. Das Spiel endete 2:1. Danach feierten die Fans.",
        &[
            "Im Jahr 2021 stieg die Zahl auf 15.000.",
            "2022 sank sie wieder.",
            "Das Spiel endete 2:1.",
            "Danach feierten die Fans.",
        ],
    );
}

#[test]
fn de_numbers_and_percentages_inside_tokens() {
    check(
        "de",
        "Die Inflation lag bei 3,5 Prozent bzw. 3.5% im Mai. Um 7.30 Uhr begann die Sitzung.",
        &[
            "Die Inflation lag bei 3,5 Prozent bzw. 3.5% im Mai.",
            "Um 7.30 Uhr begann die Sitzung.",
        ],
    );
}

#[test]
fn de_quotes() {
    check(
        "de",
        "Er sagte: „Wir kommen. Bald.\" Dann ging er.",
        &["Er sagte: „Wir kommen. Bald.\"", "Dann ging er."],
    );
    check(
        "de",
        "Er sagte: „Wir kommen. Bald.“ Dann ging er.",
        &["Er sagte: „Wir kommen. Bald.“", "Dann ging er."],
    );
    check(
        "de",
        "„Wir werden das schaffen. Ganz sicher“, sagte Scholz. Er blieb optimistisch.",
        &[
            "„Wir werden das schaffen. Ganz sicher“, sagte Scholz.",
            "Er blieb optimistisch.",
        ],
    );
    check(
        "de",
        "Sie fragte: »Kommst du mit? Jetzt?« Er nickte.",
        &["Sie fragte: »Kommst du mit? Jetzt?«", "Er nickte."],
    );
    check(
        "de",
        "„Er rief: ‚Wir kommen. Bald.‘ Dann ging er.“ Sie lachte.",
        &[
            "„Er rief: ‚Wir kommen. Bald.‘ Dann ging er.“",
            "Sie lachte.",
        ],
    );
    // A question inside a quote followed by the reporting verb.
    check(
        "de",
        "„Was nun?“, fragte der Minister. „Wer zahlt?“ fragte die Opposition.",
        &[
            "„Was nun?“, fragte der Minister.",
            "„Wer zahlt?“ fragte die Opposition.",
        ],
    );
    // A quote that never closes does not swallow the rest of the block.
    check(
        "de",
        "„Wir kommen. Dann gehen wir. Sie blieb.",
        &["„Wir kommen.", "Dann gehen wir.", "Sie blieb."],
    );
}

#[test]
fn de_brackets() {
    check(
        "de",
        "Die Partei (sie regiert seit 2021. Davor war sie in der Opposition) verlor. Danach trat der Chef zurück.",
        &[
            "Die Partei (sie regiert seit 2021. Davor war sie in der Opposition) verlor.",
            "Danach trat der Chef zurück.",
        ],
    );
    check(
        "de",
        "(Die Ergebnisse wurden am Montag veröffentlicht.) Experten begrüßten sie.",
        &[
            "(Die Ergebnisse wurden am Montag veröffentlicht.)",
            "Experten begrüßten sie.",
        ],
    );
}

#[test]
fn de_ellipsis() {
    check(
        "de",
        "Wir warten … und warten... und warten. Dann … Stille. Es war vorbei...",
        &[
            "Wir warten … und warten... und warten.",
            "Dann …",
            "Stille.",
            "Es war vorbei...",
        ],
    );
    check(
        "de",
        "Er sagte, […] es sei alles gut. Sie nannte (...) Gründe dafür.",
        &[
            "Er sagte, […] es sei alles gut.",
            "Sie nannte (...) Gründe dafür.",
        ],
    );
}

#[test]
fn de_former_mayor_and_frankfurt() {
    check(
        "de",
        "Kritik kam von Bürgermeister a. D. Hans Meier. Er lebt in Frankfurt a. M. Die Stadt wächst.",
        &[
            "Kritik kam von Bürgermeister a. D. Hans Meier.",
            "Er lebt in Frankfurt a. M.",
            "Die Stadt wächst.",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// English
// ---------------------------------------------------------------------------------------

#[test]
fn en_times() {
    check(
        "en",
        "The shooting happened at 7:09 p.m. Sunday, police said. The suspect fled on foot.",
        &[
            "The shooting happened at 7:09 p.m. Sunday, police said.",
            "The suspect fled on foot.",
        ],
    );
    check(
        "en",
        "The attack began at 7:09 p.m. The suspect was arrested at 3 a.m. Monday.",
        &[
            "The attack began at 7:09 p.m.",
            "The suspect was arrested at 3 a.m. Monday.",
        ],
    );
}

#[test]
fn en_country_abbreviations() {
    check(
        "en",
        "U.S. President Joe Biden met U.K. officials before the U.N. Security Council vote. The talks lasted an hour.",
        &[
            "U.S. President Joe Biden met U.K. officials before the U.N. Security Council vote.",
            "The talks lasted an hour.",
        ],
    );
    check(
        "en",
        "The group has no presence in the U.S. The president said so on Friday.",
        &[
            "The group has no presence in the U.S.",
            "The president said so on Friday.",
        ],
    );
    check(
        "en",
        "He moved to Washington, D.C. He later returned to N.Y. City.",
        &[
            "He moved to Washington, D.C.",
            "He later returned to N.Y. City.",
        ],
    );
}

#[test]
fn en_plain_sentence_boundaries() {
    check(
        "en",
        "Aid groups have pulled out of Afghanistan after the return of the Taliban. Tajikistan is bracing for refugees.",
        &[
            "Aid groups have pulled out of Afghanistan after the return of the Taliban.",
            "Tajikistan is bracing for refugees.",
        ],
    );
    check(
        "en",
        "What happened next? Nobody knows! The investigation continues.",
        &[
            "What happened next?",
            "Nobody knows!",
            "The investigation continues.",
        ],
    );
    check(
        "en",
        "He was born in 1961. In 2008 he was elected. The vote was 52-48. 12 senators abstained.",
        &[
            "He was born in 1961.",
            "In 2008 he was elected.",
            "The vote was 52-48.",
            "12 senators abstained.",
        ],
    );
}

#[test]
fn en_titles_and_initials() {
    check(
        "en",
        "John F. Kennedy was shot in Dallas. Mrs. Kennedy and Gov. John Connally were in the car.",
        &[
            "John F. Kennedy was shot in Dallas.",
            "Mrs. Kennedy and Gov. John Connally were in the car.",
        ],
    );
    check(
        "en",
        "Sen. Elizabeth Warren and Dr. Anthony Fauci spoke in St. Louis on Jan. 6. No. 10 Downing Street declined to comment.",
        &[
            "Sen. Elizabeth Warren and Dr. Anthony Fauci spoke in St. Louis on Jan. 6.",
            "No. 10 Downing Street declined to comment.",
        ],
    );
    check(
        "en",
        "Roe v. Wade was overturned in 2022. J. R. R. Tolkien would not have cared.",
        &[
            "Roe v. Wade was overturned in 2022.",
            "J. R. R. Tolkien would not have cared.",
        ],
    );
}

#[test]
fn en_company_and_list_abbreviations() {
    check(
        "en",
        "Shares of Apple Inc. fell 5%. Apple Inc. CEO Tim Cook was not available. They sold phones, laptops, etc. The company said demand was weak.",
        &[
            "Shares of Apple Inc. fell 5%.",
            "Apple Inc. CEO Tim Cook was not available.",
            "They sold phones, laptops, etc.",
            "The company said demand was weak.",
        ],
    );
    check(
        "en",
        "Prices rose 3.5% in May, e.g. for energy, i.e. gas. Analysts had expected 3.2%.",
        &[
            "Prices rose 3.5% in May, e.g. for energy, i.e. gas.",
            "Analysts had expected 3.2%.",
        ],
    );
}

#[test]
fn en_quotes() {
    check(
        "en",
        "\"We will not give up. Never,\" he said. \"Never.\" She nodded.",
        &[
            "\"We will not give up. Never,\" he said.",
            "\"Never.\"",
            "She nodded.",
        ],
    );
    check(
        "en",
        "He asked, “Are you coming? Now?” and left. Nobody followed.",
        &[
            "He asked, “Are you coming? Now?” and left.",
            "Nobody followed.",
        ],
    );
    check(
        "en",
        "She said: 'It is over. We lost.' Then she left.",
        &["She said: 'It is over. We lost.'", "Then she left."],
    );
    check(
        "en",
        "“He told me ‘no. Never.’” Then he left. The students' union said it's fine.",
        &[
            "“He told me ‘no. Never.’”",
            "Then he left.",
            "The students' union said it's fine.",
        ],
    );
}

#[test]
fn en_ellipsis() {
    check(
        "en",
        "Well... we will see. I don't know… Maybe tomorrow.",
        &["Well... we will see.", "I don't know…", "Maybe tomorrow."],
    );
}

#[test]
fn en_dateline() {
    check(
        "en",
        "SPRINGFIELD, Ill. (AP) — The governor signed the bill on Friday. It takes effect in 2025.",
        &[
            "SPRINGFIELD, Ill. (AP) — The governor signed the bill on Friday.",
            "It takes effect in 2025.",
        ],
    );
}

#[test]
fn en_numbered_list_in_one_block() {
    check(
        "en",
        "1. The first point is clear. 2. The second is not.",
        &["1. The first point is clear.", "2. The second is not."],
    );
}

// ---------------------------------------------------------------------------------------
// French
// ---------------------------------------------------------------------------------------

#[test]
fn fr_titles() {
    check(
        "fr",
        "M. Macron a rencontré Mme Merkel et le Dr. Dupont à Paris. Les deux dirigeants ont parlé de l'Ukraine.",
        &[
            "M. Macron a rencontré Mme Merkel et le Dr. Dupont à Paris.",
            "Les deux dirigeants ont parlé de l'Ukraine.",
        ],
    );
}

#[test]
fn fr_guillemets_with_inner_spaces() {
    check(
        "fr",
        "« Nous ne céderons pas. Jamais. » Puis il est parti.",
        &["« Nous ne céderons pas. Jamais. »", "Puis il est parti."],
    );
    // Narrow no-break spaces as French typography uses them.
    check(
        "fr",
        "Il a déclaré\u{202f}: «\u{a0}Nous viendrons.\u{a0}» Le public a applaudi.",
        &[
            "Il a déclaré\u{202f}: «\u{a0}Nous viendrons.\u{a0}»",
            "Le public a applaudi.",
        ],
    );
}

#[test]
fn fr_spaced_punctuation_and_abbreviations() {
    check(
        "fr",
        "Vraiment\u{202f}? Oui\u{202f}! Le ministre l'a confirmé.",
        &[
            "Vraiment\u{202f}?",
            "Oui\u{202f}!",
            "Le ministre l'a confirmé.",
        ],
    );
    check(
        "fr",
        "Les prix ont augmenté de 3,5 % en mai, p. ex. pour l'énergie, le gaz, etc. Le gouvernement réagit.",
        &[
            "Les prix ont augmenté de 3,5 % en mai, p. ex. pour l'énergie, le gaz, etc.",
            "Le gouvernement réagit.",
        ],
    );
    check(
        "fr",
        "César est mort en 44 av. J.-C. Son fils adoptif lui a succédé.",
        &[
            "César est mort en 44 av. J.-C.",
            "Son fils adoptif lui a succédé.",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Spanish
// ---------------------------------------------------------------------------------------

#[test]
fn es_titles_and_country() {
    check(
        "es",
        "El Sr. García y la Sra. López viajaron a EE. UU. para la cumbre. El presidente los recibió.",
        &[
            "El Sr. García y la Sra. López viajaron a EE. UU. para la cumbre.",
            "El presidente los recibió.",
        ],
    );
    check(
        "es",
        "La reunión se celebró en EE. UU. El presidente no asistió. Ud. sabe que la Dra. Ruiz lo confirmó.",
        &[
            "La reunión se celebró en EE. UU.",
            "El presidente no asistió.",
            "Ud. sabe que la Dra. Ruiz lo confirmó.",
        ],
    );
}

#[test]
fn es_inverted_marks_and_abbreviations() {
    check(
        "es",
        "¿Qué pasará ahora? ¡Nadie lo sabe! El Gobierno guarda silencio.",
        &[
            "¿Qué pasará ahora?",
            "¡Nadie lo sabe!",
            "El Gobierno guarda silencio.",
        ],
    );
    check(
        "es",
        "Subieron los precios, p. ej. de la luz, el gas, etc. Los consumidores protestan por el 3,5 %.",
        &[
            "Subieron los precios, p. ej. de la luz, el gas, etc.",
            "Los consumidores protestan por el 3,5 %.",
        ],
    );
    check(
        "es",
        "«Vamos a ganar. Seguro», dijo el Dr. Pérez. «Lo dudo.» Nadie le creyó.",
        &[
            "«Vamos a ganar. Seguro», dijo el Dr. Pérez.",
            "«Lo dudo.»",
            "Nadie le creyó.",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Italian
// ---------------------------------------------------------------------------------------

#[test]
fn it_titles_and_abbreviations() {
    check(
        "it",
        "Il Sig. Rossi ha incontrato il Dott. Bianchi e la Sig.ra Neri a Roma. I tre hanno parlato della crisi.",
        &[
            "Il Sig. Rossi ha incontrato il Dott. Bianchi e la Sig.ra Neri a Roma.",
            "I tre hanno parlato della crisi.",
        ],
    );
    check(
        "it",
        "Alcune città, ad es. Milano, hanno vietato il traffico. Servono bus, treni, ecc. La spesa aumenta del 3,5%.",
        &[
            "Alcune città, ad es. Milano, hanno vietato il traffico.",
            "Servono bus, treni, ecc.",
            "La spesa aumenta del 3,5%.",
        ],
    );
    check(
        "it",
        "«Non ci arrenderemo. Mai.» Poi il Prof. Verdi se ne è andato.",
        &[
            "«Non ci arrenderemo. Mai.»",
            "Poi il Prof. Verdi se ne è andato.",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Russian
// ---------------------------------------------------------------------------------------

#[test]
fn ru_initials_and_places() {
    check(
        "ru",
        "В. В. Путин прибыл в г. Москва. Встреча прошла на ул. Ленина в театре им. Горького.",
        &[
            "В. В. Путин прибыл в г. Москва.",
            "Встреча прошла на ул. Ленина в театре им. Горького.",
        ],
    );
    // "г." after a year may end a sentence.
    check(
        "ru",
        "Это случилось в 1991 г. Тогда распался СССР.",
        &["Это случилось в 1991 г.", "Тогда распался СССР."],
    );
}

#[test]
fn ru_abbreviations() {
    check(
        "ru",
        "Цены выросли на 3,5 %, т. е. больше прогноза. Он купил хлеб, молоко и т. д. Потом пошёл домой.",
        &[
            "Цены выросли на 3,5 %, т. е. больше прогноза.",
            "Он купил хлеб, молоко и т. д.",
            "Потом пошёл домой.",
        ],
    );
    check(
        "ru",
        "Бюджет составил 5 млн руб. Расходы выросли на 10 тыс. руб. в месяц. См. Приложение 2. Авторы — Иванов, Петров и др. Они спорят.",
        &[
            "Бюджет составил 5 млн руб.",
            "Расходы выросли на 10 тыс. руб. в месяц.",
            "См. Приложение 2.",
            "Авторы — Иванов, Петров и др.",
            "Они спорят.",
        ],
    );
}

#[test]
fn ru_quotes_and_dialogue() {
    check(
        "ru",
        "«Мы не сдадимся. Никогда», — сказал он. Зал аплодировал.",
        &[
            "«Мы не сдадимся. Никогда», — сказал он.",
            "Зал аплодировал.",
        ],
    );
    check(
        "ru",
        "Он спросил: «Вы придёте?» Она кивнула. „Да.“ — Хорошо.",
        &[
            "Он спросил: «Вы придёте?»",
            "Она кивнула.",
            "„Да.“",
            "— Хорошо.",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Lines and blocks
// ---------------------------------------------------------------------------------------

#[test]
fn single_newline_is_a_space_unless_after_sentence_punctuation() {
    check(
        "de",
        "Die Regierung hat\nbeschlossen, dass Dr.\nMüller kommt. Er bleibt\nzwei Tage.\nund dann geht er.",
        &[
            "Die Regierung hat\nbeschlossen, dass Dr.\nMüller kommt.",
            "Er bleibt\nzwei Tage.",
            "und dann geht er.",
        ],
    );
    check(
        "en",
        "Breaking news\nThe minister resigned\non Monday. Really?\nyes.",
        &[
            "Breaking news\nThe minister resigned\non Monday.",
            "Really?",
            "yes.",
        ],
    );
}

#[test]
fn blank_line_always_separates() {
    check(
        "en",
        "Headline without a stop\n\nFirst paragraph.\r\n\r\nSecond \"paragraph\n\nstill quoted\" here.",
        &[
            "Headline without a stop",
            "First paragraph.",
            "Second \"paragraph",
            "still quoted\" here.",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// No language: union of all rules
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_language_uses_every_list() {
    check(
        "",
        "Dr. Müller traf M. Macron, Sr. García und В. В. Путина am 28. Juni. Das Treffen dauerte bis 7:09 p.m. The rest is history.",
        &[
            "Dr. Müller traf M. Macron, Sr. García und В. В. Путина am 28. Juni.",
            "Das Treffen dauerte bis 7:09 p.m.",
            "The rest is history.",
        ],
    );
}

#[test]
fn language_specific_lists_do_not_leak() {
    // "ecc." is Italian; in English it is an ordinary word that ends a sentence.
    check(
        "en",
        "We saw ecc. Then we left.",
        &["We saw ecc.", "Then we left."],
    );
    check(
        "it",
        "Abbiamo visto ecc. Poi siamo andati via.",
        &["Abbiamo visto ecc.", "Poi siamo andati via."],
    );
    // German ordinal rules do not apply to English.
    check(
        "en",
        "The seat is No. 1. The next is free.",
        &["The seat is No. 1.", "The next is free."],
    );
}

// ---------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------

#[test]
fn configured_abbreviations() {
    let mut abbreviations = HashMap::new();
    abbreviations.insert(
        "de".to_string(),
        vec!["Verf".to_string(), "s. Anh".to_string(), "Bhf".to_string()],
    );
    abbreviations.insert("*".to_string(), vec!["Pfr".to_string()]);
    let config = SegmentConfig { abbreviations };
    assert!(config.validate().is_ok());
    let seg = Segmenter::new(&config);
    assert_eq!(
        seg.sentences(
            "Der Verf. Müller schreibt, s. Anh. Tabelle 2. Treffpunkt ist der Bhf. Mitte. Pfr. Weber kommt.",
            Some(lang("de"))
        ),
        [
            "Der Verf. Müller schreibt, s. Anh. Tabelle 2.",
            "Treffpunkt ist der Bhf. Mitte.",
            "Pfr. Weber kommt."
        ]
    );
    // "*" entries apply to every language, language entries only to theirs.
    assert_eq!(
        seg.sentences(
            "Pfr. Weber met the Verf. Smith was there.",
            Some(lang("en"))
        ),
        ["Pfr. Weber met the Verf.", "Smith was there."]
    );
    // Without configuration the German text splits at the unknown abbreviations.
    assert_eq!(
        Segmenter::default().sentences("Der Verf. Müller schreibt.", Some(lang("de"))),
        ["Der Verf.", "Müller schreibt."]
    );
}

#[test]
fn configured_word_endings() {
    let mut abbreviations = HashMap::new();
    abbreviations.insert("de".to_string(), vec!["-pl".to_string()]);
    let seg = Segmenter::new(&SegmentConfig { abbreviations });
    let text = "Treffpunkt ist der Marktpl. Mitte. Dann geht es los.";
    assert_eq!(
        seg.sentences(text, Some(lang("de"))),
        ["Treffpunkt ist der Marktpl. Mitte.", "Dann geht es los."]
    );
    assert_eq!(
        Segmenter::default().sentences(text, Some(lang("de"))),
        ["Treffpunkt ist der Marktpl.", "Mitte.", "Dann geht es los."]
    );
}

#[test]
fn config_rejects_unknown_language_keys() {
    let mut abbreviations = HashMap::new();
    abbreviations.insert("klingon".to_string(), vec!["Qa".to_string()]);
    let config = SegmentConfig { abbreviations };
    assert!(config.validate().is_err());
    // The segmenter still works and ignores the entry.
    let seg = Segmenter::new(&config);
    assert_eq!(seg.sentences("Qa. Pla.", None), ["Qa.", "Pla."]);
}

#[test]
fn config_from_toml() {
    let config: SegmentConfig =
        toml::from_str("[abbreviations]\nde = [\"z.B\", \"Abs\"]\n\"*\" = [\"Xyz\"]\n")
            .expect("valid config");
    let seg = Segmenter::new(&config);
    assert_eq!(
        seg.sentences("Siehe Xyz. Meier. Abs. 3 gilt.", Some(lang("de"))),
        ["Siehe Xyz. Meier.", "Abs. 3 gilt."]
    );
    assert!(toml::from_str::<SegmentConfig>("unknown = 1").is_err());
}

// ---------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------

#[test]
fn segment_document_fills_translatable_blocks() {
    let mut doc = Document::new(Format::Markdown, "test.md");
    doc.lang = Some(Detection {
        lang: lang("de"),
        confidence: 1.0,
        source: DetectionSource::Given,
    });
    doc.blocks
        .push(Block::new(BlockKind::Title, "Anschlag in Berlin", 1));
    doc.blocks.push(Block::new(
        BlockKind::Paragraph,
        "Am 28. Juni 2022 kam es zum Anschlag. Laut Dr. Müller gab es Tote.",
        3,
    ));
    doc.blocks
        .push(Block::new(BlockKind::Code, "let x = 1. Foo. Bar.", 5));
    doc.blocks.push(Block::new(BlockKind::Paragraph, "   ", 7));
    doc.blocks
        .push(Block::new(BlockKind::ListItem, "Erstens. Zweitens.", 9));
    // Stale segments are replaced.
    Segmenter::default().segment_document(&mut doc);
    Segmenter::default().segment_document(&mut doc);

    let texts: Vec<&str> = doc.segments().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Anschlag in Berlin",
            "Am 28. Juni 2022 kam es zum Anschlag.",
            "Laut Dr. Müller gab es Tote.",
            "Erstens.",
            "Zweitens."
        ]
    );
    let ids: Vec<usize> = doc.segments().map(|s| s.id).collect();
    assert_eq!(ids, [0, 1, 2, 3, 4]);
    assert!(doc.blocks[2].segments.is_empty());
    assert!(doc.blocks[3].segments.is_empty());
    for block in &doc.blocks {
        for s in &block.segments {
            assert_eq!(&block.text[s.span.clone()], s.text);
        }
    }
    assert_eq!(doc.blocks[1].segments[1].span, 38..67);
}

#[test]
fn segment_document_without_language_uses_union() {
    let mut doc = Document::new(Format::Text, "-");
    doc.blocks.push(Block::new(
        BlockKind::Paragraph,
        "Sr. García llegó. Mr. Smith left.",
        1,
    ));
    Segmenter::default().segment_document(&mut doc);
    let texts: Vec<&str> = doc.segments().map(|s| s.text.as_str()).collect();
    assert_eq!(texts, ["Sr. García llegó.", "Mr. Smith left."]);
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// Deterministic xorshift generator, so failures are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 >> 33).unwrap_or(0)
    }
}

const PIECES: &[&str] = &[
    "Er sagte: „Wir kommen. Bald.\" Dann ging er.",
    "The shooting happened at 7:09 p.m. Sunday.",
    "U.S. President Joe Biden spoke.",
    "in the U.S. The",
    "Dr.",
    "z. B.",
    "Nr. 5",
    "28. Juni 2022",
    "3,5 Prozent",
    "3.5%",
    "…",
    "...",
    "John F. Kennedy",
    "« Nous viendrons. »",
    "¿Qué? ¡Nada!",
    "EE. UU.",
    "т. е.",
    "1991 г.",
    "(Reuters)",
    "[…]",
    "'",
    "’",
    "\"",
    "„",
    "“",
    "»",
    "«",
    "(",
    ")",
    ".",
    "!",
    "?",
    "—",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\u{a0}",
    "\u{202f}",
    "\u{2029}",
    "\t",
    "日本語。",
    "🙂",
    "é",
    "1.",
    "Seite 3.",
    "a.",
    "Ä",
];

#[track_caller]
fn assert_invariants(seg: &Segmenter, text: &str, l: Option<Lang>) {
    let spans = seg.split(text, l);
    let mut last = 0;
    for r in &spans {
        assert!(r.start < r.end, "empty span {r:?} in {text:?}");
        assert!(
            r.start >= last,
            "spans out of order or overlapping {spans:?} in {text:?}"
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        let piece = &text[r.clone()];
        assert_eq!(
            piece,
            piece.trim(),
            "span with surrounding whitespace in {text:?}"
        );
        assert!(
            text[last..r.start].trim().is_empty(),
            "text dropped in {text:?}"
        );
        last = r.end;
    }
    assert!(text[last..].trim().is_empty(), "tail dropped in {text:?}");
}

#[test]
fn spans_are_ordered_trimmed_and_cover_everything() {
    let seg = Segmenter::default();
    let langs = [
        None,
        Some(lang("de")),
        Some(lang("en")),
        Some(lang("fr")),
        Some(lang("es")),
        Some(lang("it")),
        Some(lang("ru")),
        Some(lang("ja")),
    ];
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for round in 0..5000 {
        let mut text = String::new();
        for _ in 0..1 + rng.next() % 30 {
            text.push_str(PIECES[rng.next() % PIECES.len()]);
            if rng.next() % 2 == 0 {
                text.push(' ');
            }
        }
        assert_invariants(&seg, &text, langs[round % langs.len()]);
    }
}

#[test]
fn every_prefix_and_suffix_of_a_text_is_handled() {
    // Cutting text anywhere must never panic or drop characters.
    let seg = Segmenter::default();
    let text = "„Er rief: ‚Wir kommen.‘ Dann ging er.“ U.S. Dr. z. B. 28. Juni … « Oui. » т. е. 1991 г. Тогда.\n\nEnde!";
    for (i, _) in text.char_indices() {
        assert_invariants(&seg, &text[..i], None);
        assert_invariants(&seg, &text[i..], Some(lang("de")));
    }
}

/// Throughput check: `cargo test --release -p tarjuman --no-default-features --test segment -- --ignored`.
#[test]
#[ignore = "timing; run in release mode"]
fn throughput_at_least_20_mb_per_second() {
    let para = "Der Anschlag ereignete sich am 28. Juni 2022 gegen 19 Uhr. Laut Dr. Müller stieg die Zahl z. B. auf 3,5 Prozent. Er sagte: „Wir kommen. Bald.“ Dann ging er. U.S. President Joe Biden met officials at 7:09 p.m. Sunday. The group seized power in the U.S. The president said so. « Nous viendrons. » Puis il est parti. В. В. Путин прибыл в г. Москва. ";
    let block = para.repeat(40);
    let blocks = vec![block; 2000];
    let bytes: usize = blocks.iter().map(String::len).sum();
    let seg = Segmenter::default();
    let start = std::time::Instant::now();
    let mut count = 0;
    for b in &blocks {
        count += seg.split(b, None).len();
    }
    let secs = start.elapsed().as_secs_f64();
    let mb_s = bytes as f64 / 1e6 / secs;
    println!("{bytes} bytes, {count} sentences, {mb_s:.1} MB/s");
    assert!(mb_s >= 20.0, "{mb_s:.1} MB/s");
}
