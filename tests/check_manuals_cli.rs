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

/// Checks `source` against `target` (one paragraph a line) from English to `to`.
fn check_text(source: &[&str], target: &[&str], to: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("s.txt"), source.join("\n") + "\n").expect("write");
    std::fs::write(dir.path().join("t.txt"), target.join("\n") + "\n").expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check", "--format", "jsonl", "--from", "en", "--to", to, "--source", "s.txt", "t.txt",
        ],
        b"",
    );
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "exit {code}: {}", stderr(&out));
    json_lines(&stdout(&out))
}

/// The source sentences that the `dropped` findings of `f` name.
fn dropped(f: &[Value]) -> Vec<&str> {
    alarms(f, "dropped")
        .iter()
        .map(|x| x["text"].as_str().unwrap_or(""))
        .collect()
}

/// Units of devscripts' manual pages in German (devscripts 2.23.4+deb12u2,
/// `po4a/po/de.po`), five in a row as the catalogue has them: each renders its sentences
/// one by one. A short sentence taken out of a long unit (`Die Vorgabe ist I<yes>.`) leaves
/// the rest long enough to pass as two sentences merged; that nothing of it is left (its
/// `I<yes>`, no word of it) while the other sentence's code is there says it was dropped.
#[test]
fn a_short_sentence_taken_out_of_a_long_unit_is_dropped() {
    let units = [
        (
            "If this option is set, then tags that debcommit creates will be signed using gnupg. Currently this is only supported by git.",
            "Falls diese Option gesetzt ist, dann werden Markierungen, die Debcommit erstellt, mittels GnuPG signiert. Derzeit wird dies nur von Git unterstützt.",
        ),
        (
            "If this option is set, the commit author and date will be determined from the Maintainer and Date field of the first paragraph in F<debian/changelog>.  This is mainly useful when using B<debchange>(1) with the B<--no-mainttrailer> option.",
            "Falls diese Option gesetzt ist, werden der Autor und das Datum, die übertragen werden, anhand der Felder »Maintainer« und »Date« des ersten Absatzes in F<debian/changelog> bestimmt. Dies ist hauptsächlich dann nützlich, wenn B<debchange>(1) mit der Option B<--no-mainttrailer> verwendet wird.",
        ),
        (
            "If this is set to I<no>, then it is the same as the B<--no-strip-message> command line parameter being used. The default is I<yes>.",
            "Falls dies auf I<no> gesetzt ist, dann entspricht das der Verwendung des Befehlszeilenparameters B<--no-strip-message>. Die Vorgabe ist I<yes>.",
        ),
        (
            "If this is set to I<yes>, then it is the same as the B<--sign-tags> command line parameter being used. The default is I<no>.",
            "Falls dies auf I<yes> gesetzt ist, ist es so, als ob der Befehlszeilenparameter B<--sign-tags> benutzt würde. Die Vorgabe ist I<no>.",
        ),
        (
            "If this is set to I<yes>, then it is the same as the B<--sign-commit> command line parameter being used. The default is I<no>.",
            "Falls dies auf I<yes> gesetzt ist, ist es so, als ob der Befehlszeilenparameter B<--sign-commit> benutzt würde. Die Vorgabe ist I<no>.",
        ),
    ];
    let f = check_po(&units, "de");
    assert!(dropped(&f).is_empty(), "{f:#?}");
    let mut cut = units;
    let short = units[2].1.replace(" Die Vorgabe ist I<yes>.", "");
    cut[2].1 = &short;
    let f = check_po(&cut, "de");
    assert_eq!(dropped(&f), ["The default is I<yes>."], "{f:#?}");
    let d = &alarms(&f, "dropped")[0];
    assert_eq!(d["severity"], "error", "{f:#?}");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("The default is I<yes>.")),
        "{f:#?}"
    );
}

/// salsa's manual page in French (devscripts 2.23.4+deb12u2, `po4a/po/fr.po`): a sentence
/// without code or names (`Create public empty project.`) taken out, and the other
/// sentence's `C<--group>` left: the target holds that sentence alone, not both.
#[test]
fn a_sentence_without_code_taken_out_is_dropped_by_what_is_left() {
    let units = [
        (
            "Clone repo in current dir. If directory already exists, update local repo.",
            "Duplique (clone) le dépôt dans le répertoire courant. Si le répertoire de destination existe, met à jour le dépôt local.",
        ),
        (
            "You can clone more than one repository or all repositories of a group or a user:",
            "Il est possible de dupliquer plus d'un dépôt ou tous les dépôts d'un groupe ou d'un utilisateur :",
        ),
        (
            "Create public empty project. If C<--group>/C<--group-id> is set, project is created in group directory, else in user directory.",
            "Crée un projet public vide. Si C<--group>/C<--group-id> est utilisé, le projet est créé dans le répertoire du groupe, sinon dans celui de l'utilisateur.",
        ),
        (
            "Forks a project in group/user repository and set \"upstream\" to original project. Example:",
            "Duplique (fork) un projet dans le répertoire du groupe/utilisateur et insère une cible git \"upstream\" pointant sur le projet d'origine. Exemple :",
        ),
    ];
    let f = check_po(&units, "fr");
    assert!(dropped(&f).is_empty(), "{f:#?}");
    let mut cut = units;
    let rest = units[2].1.replace("Crée un projet public vide. ", "");
    cut[2].1 = &rest;
    let f = check_po(&cut, "fr");
    assert_eq!(dropped(&f), ["Create public empty project."], "{f:#?}");
    // The other sentence taken out instead: that one is named.
    let first = "Crée un projet public vide.";
    cut[2].1 = first;
    let f = check_po(&cut, "fr");
    assert_eq!(
        dropped(&f),
        ["If C<--group>/C<--group-id> is set, project is created in group directory, else in user directory."],
        "{f:#?}"
    );
}

/// The installation guide in Spanish (installation-guide 20230508, `po/es/using-d-i.po`)
/// renders the three sentences of a unit one by one, with their markup. With the first
/// taken out, the second's `<command>` and `<userinput>` say which sentence the first
/// target sentence renders, and the first (its `<quote>expert</quote>` nowhere) is named as
/// dropped.
#[test]
fn markup_says_which_sentence_a_target_renders() {
    let units = [
        (
            "Power users may be more comfortable with a menu-driven interface, where each step is controlled by the user rather than the installer performing each step automatically in sequence. To use the installer in a manual, menu-driven way, add the boot argument <userinput>priority=medium</userinput>.",
            "Es posible que los usuarios avanzados estén más cómodos si utilizan la interfaz basada en menú, donde el control de cada paso lo tiene el usuario en lugar de que éstos se ejecuten de forma automática en una secuencia predeterminada por el instalador. Para usar el instalador en el modo manual, gestionado a través de un menú, añada el argumento de arranque <userinput>priority=medium</userinput>.",
        ),
        (
            "If your hardware requires you to pass options to kernel modules as they are installed, you will need to start the installer in <quote>expert</quote> mode. This can be done by either using the <command>expert</command> command to start the installer or by adding the boot argument <userinput>priority=low</userinput>. Expert mode gives you full control over &d-i;.",
            "Deberás iniciar el instalador en modo <quote>expert</quote> si para hacer funcionar o detectar el hardware necesitas que se indiquen opciones para los módulos del núcleo conforme se instalen. Esto se puede realizar bien con la orden <command>expert</command> al iniciar el instalador o bien añadiendo el argumento de arranque <userinput>priority=low</userinput>. El modo experto da control total del &d-i;.",
        ),
    ];
    let f = check_po(&units, "es");
    assert!(dropped(&f).is_empty(), "{f:#?}");
    let rest = units[1]
        .1
        .split_once(". ")
        .map(|(_, r)| r)
        .unwrap_or_default();
    let f = check_po(&[units[0], (units[1].0, rest)], "es");
    assert_eq!(
        dropped(&f),
        ["If your hardware requires you to pass options to kernel modules as they are installed, you will need to start the installer in <quote>expert</quote> mode."],
        "{f:#?}"
    );
}

/// The Debian Administrator's Handbook in French (debian-handbook 11.20220922, the Samba
/// section, five paragraphs in a row) condenses `Enter the connection URI for the network
/// printer. It should look like the following:` into one sentence that ends as the second
/// does (`… doit avoir la forme suivante :`): a merge. The same paragraph with the second
/// sentence taken out is still a drop.
#[test]
fn a_condensed_sentence_that_keeps_its_colon_is_merged() {
    let source = [
        "Enter the CUPS configuration interface: http://localhost:631/admin",
        "Click on “Add Printer”.",
        "Choose the printer device, pick “Windows Printer via SAMBA”.",
        "Enter the connection URI for the network printer. It should look like the following:",
        "smb://user:password@server/printer.",
    ];
    let target = [
        "Entrer dans l'interface de configuration de CUPS : http://localhost:631/admin",
        "Cliquer sur « Ajouter une imprimante ».",
        "Choisir le périphérique de l'imprimante : Windows Printer via SAMBA.",
        "L'URI décrivant l'imprimante doit avoir la forme suivante :",
        "smb://utilisateur:motdepasse@serveur/imprimante.",
    ];
    let f = check_text(&source, &target, "fr");
    assert!(dropped(&f).is_empty(), "{f:#?}");
    assert!(
        f.iter()
            .any(|x| x["check"] == "merged" && x["source_line"] == 4),
        "{f:#?}"
    );
    let mut cut = target;
    cut[3] = "Saisir l'URI de connexion de l'imprimante réseau.";
    let f = check_text(&source, &cut, "fr");
    assert_eq!(
        dropped(&f),
        ["It should look like the following:"],
        "{f:#?}"
    );
}

/// The Debian Administrator's Handbook in German (debian-handbook 11.20220922, the
/// installation chapter) writes `USB-Stick`: `Stick` is an English word German took over,
/// which Debian's de_DE lacks and en_US knows (not a slip of `Strick`). A German word
/// misspelt beside it is still a typo, and so is an English word that is the German one
/// with a letter missing.
#[test]
fn an_english_word_in_a_german_compound_is_no_typo() {
    if !hunspell("de_DE") || !hunspell("en_US") {
        return;
    }
    let source = [
        "A Debian system can be installed from several types of media, as long as the BIOS/UEFI (see NOTE UEFI, a modern replacement to the BIOS) of the machine allows it. You can for instance boot with a CD-ROM, a USB key, or even through a network.",
        "Since most computers are able to boot from USB devices, you can also install Debian from a USB key (this is nothing more than a small flash-memory disk).",
        "The installation manual explains how to create a USB key that contains the debian-installer. The procedure is very simple because ISO images for i386 and amd64 are hybrid images that can boot from a CD-ROM as well as from a USB key.",
        "You must first identify the device name of the USB key (ex: /dev/sdb); the simplest means to do this is to check the messages issued by the kernel using the dmesg command. Then you must copy the previously downloaded ISO image (for example, debian-11.0.0-amd64-netinst.iso) with the command cat debian-11.0.0-amd64-netinst.iso >/dev/sdb; sync. This command requires administrator rights, since it accesses the USB key directly and blindly erases its content.",
    ];
    let target = [
        "Ein Debian-System kann mithilfe unterschiedlicher Medien installiert werden, sofern das BIOS/UEFI (siehe NOTIZ UEFI, ein moderner BIOS-Ersatz) des Rechners es unterstützt. Sie können zum Beispiel mit einer CD-ROM, einem USB-Stick oder sogar über das Netzwerk booten.",
        "Nachdem die meisten Rechner auch von einem USB-Gerät booten können, lässt sich Debian auch von einem USB-Stick installieren (, da der nichts anderes als eine kleine Flash-Disk ist).",
        "Das Installationshandbuch erklärt, wie man einen USB-Stick erstellt, der den debian-installer enthält. Das Vorgehen ist sehr einfach, da die ISO-Images für i386- und amd64 jetzt Hybrid-Images sind, die von einer CD-ROM ebenso wie von einem USB-Stick starten können.",
        "Sie müssen zunächst den Gerätenamen des USB-Sticks feststellen (zum Beispiel /dev/sdb); am einfachsten ist es, hierzu die vom Kernel verschickten Mitteilungen mit dem Befehl dmesg zu überprüfen. Dann müssen Sie das zuvor heruntergeladene ISO-Image (zum Beispiel debian-11.0.0-amd64-netinst.iso) mit dem Befehl cat debian-11.0.0-amd64-netinst.iso >/dev/sdb; sync kopieren. Dieser Befehl erfordert Administratorrechte, da er direkt auf den USB-Stick zugreift und blindlings seinen Inhalt löscht.",
    ];
    let typos = |f: &[Value]| -> Vec<String> {
        alarms(f, "typo")
            .iter()
            .map(|x| x["text"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let f = check_text(&source, &target, "de");
    assert!(typos(&f).is_empty(), "{f:#?}");
    let slip = target[3].replace("blindlings", "blindlnigs");
    let f = check_text(&source, &[target[0], target[1], target[2], &slip], "de");
    assert_eq!(typos(&f), ["blindlnigs"], "{f:#?}");
    // A German word with a doubled letter written single is a slip, even when English
    // knows it (debhelper 13.11.4, `man/po4a/po/de.po`: `ein ausführbares binäres Programm`).
    let unit = (
        "The B<dh_strip> and B<dh_shlibdeps> tools no longer uses filename patterns to determine which files to process.  Instead, they open the file and look for an ELF header to determine if a given file is an shared object or an ELF executable.",
        "Die Werkzeuge B<dh_strip> und B<dh_shlibdeps> verwenden keine Dateinamenmuster mehr, um zu bestimmen, welche Dateien verarbeitet werden. Stattdessen öffnen sie die Datei und suchen nach einem ELF-Header, um zu bestimmen, ob eine übergebene Datei ein gemeinsam benutztes Objekt oder ein ausführbares binäres Programm ist.",
    );
    let f = check_po(&[unit], "de");
    assert!(typos(&f).is_empty(), "{f:#?}");
    let single = unit.1.replace("Programm", "Program");
    let f = check_po(&[(unit.0, &single)], "de");
    assert_eq!(typos(&f), ["Program"], "{f:#?}");
}

/// A unit of apt's manual in German (apt 2.6.1, `doc/po/de.po`) that is only markup and a
/// path stays as it is: nothing in it is text to translate. Prose left in English is still
/// untranslated.
#[test]
fn a_target_of_markup_and_paths_only_is_not_untranslated() {
    let path = (
        "<filename>/etc/apt/auth.conf.d/*.conf</filename> <filename>/etc/apt/auth.conf</filename>",
        "<filename>/etc/apt/auth.conf.d/*.conf</filename> <filename>/etc/apt/auth.conf</filename>",
    );
    let prose = (
        "Login information for APT sources can be stored in a configuration file.",
        "Login information for APT sources can be stored in a configuration file.",
    );
    let f = check_po(&[path], "de");
    assert!(alarms(&f, "untranslated").is_empty(), "{f:#?}");
    let f = check_po(&[path, prose], "de");
    let u = alarms(&f, "untranslated");
    assert_eq!(u.len(), 1, "{f:#?}");
    assert_eq!(u[0]["source_line"], 8, "{f:#?}");
}
