//! `tarjuman check` on the po4a catalogues of Debian's manuals (the installation guide,
//! debconf's manual pages): choices of the human translators that are no defects, each on a
//! real unit of those catalogues, beside the real error next to it that is still found.

mod common;

use common::{hunspell, json_lines, run_in, stderr, stdout};
use serde_json::Value;

/// Writes `units` (source, target) as a PO file and checks it from English to `to`.
fn check_po(units: &[(&str, &str)], to: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut po =
        String::from("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n");
    for (s, t) in units {
        let esc = |x: &str| x.replace('\\', "\\\\").replace('"', "\\\"");
        po.push_str(&format!("msgid \"{}\"\nmsgstr \"{}\"\n\n", esc(s), esc(t)));
    }
    std::fs::write(dir.path().join("m.po"), po).expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check", "--format", "jsonl", "--from", "en", "--to", to, "m.po",
        ],
        b"",
    );
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "exit {code}: {}", stderr(&out));
    json_lines(&stdout(&out))
}

/// The warnings and errors of check `check`, with the line of each.
fn alarms<'a>(f: &'a [Value], check: &str) -> Vec<&'a Value> {
    f.iter()
        .filter(|x| x["check"] == check && x["severity"] != "info")
        .collect()
}

/// The installation guide in German (installation-guide 20230508, `po/de/partitioning.po`)
/// sets a menu choice off with `<quote>` where the English has none, and the French one
/// (`po/fr/boot-installer.po`) writes `<emphasis>` around a term kept in English: a whole
/// pair of tags that set words off is the translation's choice (a note). A tag of the pair
/// lost, or a tag that structures the text changed, is still an error.
#[test]
fn a_pair_of_tags_that_set_words_off_is_the_translators_choice() {
    let quote = (
        "A similar screen to the one shown just above will be displayed if you choose manual partitioning except that your existing partition table will be shown and without the mount points.",
        "Ein ähnliches Bild wie oben wird Ihnen angezeigt, wenn Sie <quote>Manuell</quote> wählen, mit dem Unterschied, dass Ihre derzeit existierende Partitionstabelle angezeigt wird, aber die Einbindungspunkte fehlen.",
    );
    let emphasis = (
        "Some architectures use the kernel framebuffer to offer installation in a number of languages. If framebuffer causes a problem on your system you can disable the feature using the parameter <userinput arch=\"x86\">vga=normal</userinput> <userinput>fb=false</userinput>.",
        "Certaines architectures utilisent le tampon vidéo du noyau <emphasis>framebuffer</emphasis> afin d'offrir l'installation en plusieurs langues. Si le tampon vidéo pose des problèmes sur votre système, vous pouvez utiliser le paramètre <userinput arch=\"x86\">vga=normal</userinput> <userinput>fb=false</userinput>, pour le désactiver.",
    );
    let f = check_po(&[quote], "de");
    assert!(alarms(&f, "xml-tags").is_empty(), "{f:#?}");
    assert!(
        f.iter()
            .any(|x| x["check"] == "xml-tags" && x["severity"] == "info"),
        "{f:#?}"
    );
    let f = check_po(&[emphasis], "fr");
    assert!(alarms(&f, "xml-tags").is_empty(), "{f:#?}");
    // The French guide (`po/fr/using-d-i.po`) says `root` once where the English says it
    // twice: one `<quote>` pair fewer. With the closing tag of its pair lost, an error.
    let root = (
        "Setting up the network is followed by the creation of user accounts. By default you are asked to provide a password for the <quote>root</quote> (administrator) account and information necessary to create one regular user account. If you do not specify a password for the <quote>root</quote> user, this account will be disabled but the <command>sudo</command> package will be installed later to enable administrative tasks to be carried out on the new system. By default, the first user created on the system will be allowed to use the <command>sudo</command> command to become root.",
        "Puis les comptes des utilisateurs sont créés. Par défaut vous devez fournir un mot de passe pour le compte du superutilisateur (<quote>root</quote>) et vous devez créer un compte d'utilisateur ordinaire. Si vous ne donnez pas de mot de passe pour le superutilisateur, ce compte sera désactivé. Cependant, pour que les tâches administratives soient possibles sur le nouveau système, le paquet <command>sudo</command> sera installé, et le premier utilisateur créé sera autorisé à utiliser la commande <command>sudo</command>.",
    );
    let f = check_po(&[root], "fr");
    assert!(alarms(&f, "xml-tags").is_empty(), "{f:#?}");
    let lost = root.1.replacen("</quote>", "", 1);
    let f = check_po(&[(root.0, &lost)], "fr");
    assert!(!alarms(&f, "xml-tags").is_empty(), "{f:#?}");
    assert!(
        alarms(&f, "xml-tags")
            .iter()
            .all(|x| x["severity"] == "error"),
        "{f:#?}"
    );
    // A `<userinput>` pair lost with its words: structure, an error.
    let lost = emphasis
        .1
        .replacen("<userinput>fb=false</userinput>", "fb=false", 1);
    let f = check_po(&[(emphasis.0, &lost)], "fr");
    assert_eq!(alarms(&f, "xml-tags").len(), 2, "{f:#?}");
}

/// `&d-i;` is a DocBook entity of the installation guide (`po/fr/using-d-i.po`), not an
/// accelerator `&d`; a menu label's accelerator is still compared.
#[test]
fn an_entity_with_a_hyphen_is_no_accelerator() {
    let f = check_po(
        &[
            (
                "By default, the &d-i; automatically probes for network configuration via IPv6 autoconfiguration and DHCP.",
                "L'installateur &debian; recherche automatiquement la configuration du réseau par autoconfiguration IPv6 et DHCP.",
            ),
            ("Save the &network configuration now", "Enregistrer la configuration du réseau maintenant"),
        ],
        "fr",
    );
    let acc = alarms(&f, "accelerator");
    assert_eq!(acc.len(), 1, "{f:#?}");
    assert_eq!(acc[0]["source_line"], 8, "{f:#?}");
}

/// debhelper's manual in French (debhelper 13.11.4, `man/po4a/po/fr.po`) adds a note of the
/// translator's after the sentence (`NdT`): a note, not an added sentence (which segments
/// are notes: `align::translator_note`, tested with the library).
#[test]
fn a_translators_note_is_no_added_sentence() {
    let note = (
        "It also supports translated man pages, by looking for extensions like F<.ll.8> and F<.ll_LL.8>, or by use of the B<--language> switch.",
        "B<dh_installman> gère également les traductions de pages de manuel soit en cherchant des extensions telles que F<.ll.8> et F<ll_LL.8>, soit en utilisant l'option B<--language>. (NdT : « ll » représente le code langue sur deux caractères et « LL » la variante locale sur deux caractères également. Par exemple : fr_BE pour le français de Belgique.)",
    );
    let f = check_po(&[note], "fr");
    assert!(alarms(&f, "added").is_empty(), "{f:#?}");
    assert!(alarms(&f, "dropped").is_empty(), "{f:#?}");
}

/// The installation guide in Russian (installation-guide 20230508, `po/ru/*.po`): `архитектур` is the
/// genitive plural of `архитектура`, a form without ending that Debian's ru_RU dictionary
/// lacks (it lists the noun in the singular); a word really cut short beside it is still a
/// typo.
#[test]
fn a_russian_genitive_plural_is_no_word_cut_short() {
    if !hunspell("ru_RU") {
        return;
    }
    let units = [
        (
            "This port of &debian; is currently only being developed for the i386 and amd64 architectures, although ports to other architectures is possible.",
            "Этот перенос &debian; в настоящее время разработан только для архитектур i386 и amd64, хотя возможен перенос и на другие архитектуры.",
        ),
        (
            "The Hurd is still unfinished, and is unsuitable for day-to-day use, but work is continuing. The Hurd is currently only being developed for the i386 architecture, although ports to other architectures will be made once the system becomes more stable.",
            "Проект Hurd пока не завершён и не пригоден для повседневного использования, но работа продолжается. Сейчас Hurd разработан только для архитектуры i386, однако перенос на другие архитектуры будет сделан как только система станет более стабильной.",
        ),
    ];
    let f = check_po(&units, "ru");
    let typos: Vec<&str> = alarms(&f, "typo")
        .iter()
        .map(|x| x["text"].as_str().unwrap_or(""))
        .collect();
    assert!(!typos.contains(&"архитектур"), "{f:#?}");
    let cut = units[1].1.replace("стабильной", "стабильн");
    let f = check_po(&[units[0], (units[1].0, &cut)], "ru");
    let typos: Vec<&str> = alarms(&f, "typo")
        .iter()
        .map(|x| x["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(typos, ["стабильн"], "{f:#?}");
}

/// The Russian installation guide links the port's page at another path of the same site
/// (`…/ports/kfreebsd/` for `…/ports/kfreebsd-gnu/`): the link check calls that routine, and
/// the `<ulink>` tag that carries it follows the link check. A link to another host in the
/// same tag is still an error.
#[test]
fn a_tag_whose_only_change_is_its_link_follows_the_link_check() {
    let unit = (
        "For more information, see the <ulink url=\"http://www.debian.org/ports/kfreebsd-gnu/\"> &debian; GNU/kFreeBSD ports page</ulink> and the <email>debian-bsd@lists.debian.org</email> mailing list.",
        "Подробности смотрите на <ulink url=\"http://www.debian.org/ports/kfreebsd/\"> странице переноса &debian; GNU/kFreeBSD</ulink> и в списке рассылки проекта <email>debian-bsd@lists.debian.org</email>.",
    );
    let f = check_po(&[unit], "ru");
    assert!(alarms(&f, "xml-tags").is_empty(), "{f:#?}");
    assert!(alarms(&f, "url").is_empty(), "{f:#?}");
    let moved = unit.1.replace("www.debian.org", "www-debian.org");
    let f = check_po(&[(unit.0, &moved)], "ru");
    assert_eq!(alarms(&f, "xml-tags").len(), 1, "{f:#?}");
    assert_eq!(alarms(&f, "xml-tags")[0]["severity"], "error", "{f:#?}");
}

/// dpkg's manual pages in Spanish (dpkg 1.21.23, `man/po/es.po`) write `Sobreescribe`, the
/// prefix's vowel twice, which Spanish orthography admits beside `Sobrescribe` (the form
/// es_ES knows); a slip in the simplified form (`Sobrescirbe`) is still a typo.
#[test]
fn a_spanish_prefix_written_with_both_vowels_is_no_typo() {
    if !hunspell("es_ES") {
        return;
    }
    let unit = (
        "Override or add an output control file field.",
        "Sobreescribe o añade un campo en el fichero de control de salida.",
    );
    let f = check_po(&[unit], "es");
    assert!(alarms(&f, "typo").is_empty(), "{f:#?}");
    let slip = unit.1.replace("Sobreescribe", "Sobrescirbe");
    let f = check_po(&[(unit.0, &slip)], "es");
    let typos: Vec<&str> = alarms(&f, "typo")
        .iter()
        .map(|x| x["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(typos, ["Sobrescirbe"], "{f:#?}");
}
